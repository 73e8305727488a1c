import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import {
  CHANNELS,
  MAX_PAGE_SIZE,
  REQUEST_TYPES,
  WARNING_FILTERS,
  WORK_ORDER_SORT_FIELDS,
  WORK_ORDER_STATUSES,
  type Channel,
  type RequestType,
  type SortOrder,
  type WarningFilter,
  type WorkOrderQuery,
  type WorkOrderSortField,
  type WorkOrderStatus,
} from '@/api/types';
import { CENTER_UTC_OFFSET } from '@/utils/date';

/** The filter form. Empty strings mean "any". */
export interface WorkOrderFilters {
  status: WorkOrderStatus | '';
  requestType: RequestType | '';
  channel: Channel | '';
  warning: WarningFilter | '';
  keyword: string;
  citizenPhone: string;
  /** Registration dates as `YYYY-MM-DD` of the center (Asia/Shanghai), both inclusive. */
  createdRange: [string, string] | null;
}

export interface WorkOrderSort {
  sortBy: WorkOrderSortField;
  sortOrder: SortOrder;
}

/** Everything the list shows; it lives in the URL so that back, reload and shared links keep it. */
export interface WorkOrderListState {
  filters: WorkOrderFilters;
  page: number;
  pageSize: number;
  sort: WorkOrderSort | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, MAX_PAGE_SIZE];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyFilters(): WorkOrderFilters {
  return { status: '', requestType: '', channel: '', warning: '', keyword: '', citizenPhone: '', createdRange: null };
}

export function cloneFilters(filters: WorkOrderFilters): WorkOrderFilters {
  const range = filters.createdRange;
  return { ...filters, createdRange: range ? [range[0], range[1]] : null };
}

function one(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function oneOf<T extends string>(allowed: readonly T[], value: string): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

function positiveInt(value: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? Math.min(parsed, max) : fallback;
}

export function parseListQuery(query: LocationQuery): WorkOrderListState {
  const from = one(query.from);
  const to = one(query.to);
  const sortBy = oneOf(WORK_ORDER_SORT_FIELDS, one(query.sortBy));
  const sortOrder = oneOf(['ASC', 'DESC'] as const, one(query.sortOrder));
  return {
    filters: {
      status: oneOf(WORK_ORDER_STATUSES, one(query.status)),
      requestType: oneOf(REQUEST_TYPES, one(query.requestType)),
      channel: oneOf(CHANNELS, one(query.channel)),
      warning: oneOf(WARNING_FILTERS, one(query.warning)),
      keyword: one(query.keyword),
      citizenPhone: one(query.citizenPhone),
      createdRange: DATE.test(from) && DATE.test(to) ? [from, to] : null,
    },
    page: positiveInt(one(query.page), 1),
    pageSize: positiveInt(one(query.pageSize), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    sort: sortBy ? { sortBy, sortOrder: sortOrder || 'DESC' } : null,
  };
}

/** The URL query for a state; defaults are left out to keep links short. */
export function toLocationQuery(state: WorkOrderListState): LocationQueryRaw {
  const { filters } = state;
  const query: LocationQueryRaw = {};
  if (filters.status) query.status = filters.status;
  if (filters.requestType) query.requestType = filters.requestType;
  if (filters.channel) query.channel = filters.channel;
  if (filters.warning) query.warning = filters.warning;
  if (filters.keyword.trim()) query.keyword = filters.keyword.trim();
  if (filters.citizenPhone.trim()) query.citizenPhone = filters.citizenPhone.trim();
  if (filters.createdRange) [query.from, query.to] = filters.createdRange;
  if (state.page > 1) query.page = String(state.page);
  if (state.pageSize !== DEFAULT_PAGE_SIZE) query.pageSize = String(state.pageSize);
  if (state.sort) {
    query.sortBy = state.sort.sortBy;
    query.sortOrder = state.sort.sortOrder;
  }
  return query;
}

/** The `GET /work-orders` query for a state; the date range covers whole days of the center. */
export function toApiQuery(state: WorkOrderListState): WorkOrderQuery {
  const { filters } = state;
  const query: WorkOrderQuery = { page: state.page, pageSize: state.pageSize };
  if (filters.status) query.status = filters.status;
  if (filters.requestType) query.requestType = filters.requestType;
  if (filters.channel) query.channel = filters.channel;
  if (filters.warning) query.warning = filters.warning;
  if (filters.keyword) query.keyword = filters.keyword;
  if (filters.citizenPhone) query.citizenPhone = filters.citizenPhone;
  if (filters.createdRange) {
    const [from, to] = filters.createdRange;
    // Days of the center (Asia/Shanghai, UTC+8 all year), whatever the browser's zone.
    query.createdFrom = new Date(`${from}T00:00:00${CENTER_UTC_OFFSET}`).toISOString();
    query.createdTo = new Date(`${to}T23:59:59.999${CENTER_UTC_OFFSET}`).toISOString();
  }
  if (state.sort) {
    query.sortBy = state.sort.sortBy;
    query.sortOrder = state.sort.sortOrder;
  }
  return query;
}

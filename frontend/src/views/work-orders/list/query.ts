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
} from '@/api/models';
import { CENTER_UTC_OFFSET, centerDate } from '@/utils/date';

/** Yes/no filters of the list; each is sent as `true` or left out (the API has no "only not …"). */
export const FLAG_FILTERS = ['open', 'supervised', 'extensionRequested', 'hasChildren', 'assistOverdue'] as const;
export type FlagFilter = (typeof FLAG_FILTERS)[number];

/** The filter form. Empty strings and nulls mean "any". */
export interface WorkOrderFilters {
  status: WorkOrderStatus | '';
  requestType: RequestType | '';
  channel: Channel | '';
  warning: WarningFilter | '';
  keyword: string;
  citizenPhone: string;
  /** Orders led by this unit or one below it. */
  leadUnitId: number | null;
  categoryId: number | null;
  /** Only the orders assigned to the signed-in user (分派给我). */
  assignedToMe: boolean;
  /** Registration dates as `YYYY-MM-DD` of the center (Asia/Shanghai), both inclusive. */
  createdRange: [string, string] | null;
  /**
   * Registration instants as a link gave them (`createdFrom`/`createdTo`, e.g. a dashboard figure's drill-down) when
   * they are not whole days of the center; whole days become `createdRange`. Choosing dates in the form replaces it.
   */
  createdSpan: { from: string | null; to: string | null } | null;
  /** Closing instants a link gave (`closedFrom`/`closedTo`, the dashboard's "closed per day"); no form field sets it. */
  closedSpan: { from: string | null; to: string | null } | null;
  flags: Record<FlagFilter, boolean>;
}

export interface WorkOrderSort {
  sortBy: WorkOrderSortField;
  sortOrder: SortOrder;
}

/** Everything the list shows; it lives in the URL so that back, reload, shared links and drill-downs keep it. */
export interface WorkOrderListState {
  filters: WorkOrderFilters;
  page: number;
  pageSize: number;
  sort: WorkOrderSort | null;
  /** Beyond the numbered pages: the `nextCursor` the previous page gave (then `page` is not sent). */
  cursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, MAX_PAGE_SIZE];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** RFC 3339 with an offset, as the API takes it. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function noFlags(): Record<FlagFilter, boolean> {
  return { open: false, supervised: false, extensionRequested: false, hasChildren: false, assistOverdue: false };
}

export function emptyFilters(): WorkOrderFilters {
  return {
    status: '',
    requestType: '',
    channel: '',
    warning: '',
    keyword: '',
    citizenPhone: '',
    leadUnitId: null,
    categoryId: null,
    assignedToMe: false,
    createdRange: null,
    createdSpan: null,
    closedSpan: null,
    flags: noFlags(),
  };
}

export function cloneFilters(filters: WorkOrderFilters): WorkOrderFilters {
  const range = filters.createdRange;
  return {
    ...filters,
    createdRange: range ? [range[0], range[1]] : null,
    createdSpan: filters.createdSpan ? { ...filters.createdSpan } : null,
    flags: { ...filters.flags },
  };
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

function idOrNull(value: string): number | null {
  const parsed = Number(value);
  return value !== '' && Number.isInteger(parsed) && parsed >= 1 && parsed <= 2_147_483_647 ? parsed : null;
}

function flag(value: string): boolean {
  return value === 'true' || value === '1';
}

/** The first moment of a center day. */
function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00${CENTER_UTC_OFFSET}`);
}

function isCenterMidnight(ms: number): boolean {
  return startOfDay(centerDate(ms)).getTime() === ms;
}

function instantOrNull(value: string): string | null {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

/**
 * `createdFrom`/`createdTo` of a link as center days when they are whole ones (from a midnight to a midnight, the end
 * exclusive, or to the last millisecond of a day), so the date picker shows them; otherwise the instants as given.
 */
function createdOf(query: LocationQuery): Pick<WorkOrderFilters, 'createdRange' | 'createdSpan'> {
  const from = one(query.from);
  const to = one(query.to);
  if (DATE.test(from) && DATE.test(to)) return { createdRange: [from, to], createdSpan: null };
  const spanFrom = instantOrNull(one(query.createdFrom));
  const spanTo = instantOrNull(one(query.createdTo));
  if (!spanFrom && !spanTo) return { createdRange: null, createdSpan: null };
  if (spanFrom && spanTo) {
    const start = Date.parse(spanFrom);
    const end = Date.parse(spanTo);
    const endsAtMidnight = isCenterMidnight(end);
    if (end > start && isCenterMidnight(start) && (endsAtMidnight || isCenterMidnight(end + 1))) {
      return { createdRange: [centerDate(start), centerDate(endsAtMidnight ? end - 1 : end)], createdSpan: null };
    }
  }
  return { createdRange: null, createdSpan: { from: spanFrom, to: spanTo } };
}

function closedOf(query: LocationQuery): WorkOrderFilters['closedSpan'] {
  const from = instantOrNull(one(query.closedFrom));
  const to = instantOrNull(one(query.closedTo));
  return from || to ? { from, to } : null;
}

export function parseListQuery(query: LocationQuery): WorkOrderListState {
  const sortBy = oneOf(WORK_ORDER_SORT_FIELDS, one(query.sortBy));
  const sortOrder = oneOf(['ASC', 'DESC'] as const, one(query.sortOrder));
  const cursor = one(query.cursor);
  const flags = noFlags();
  for (const name of FLAG_FILTERS) flags[name] = flag(one(query[name]));
  // "overdue" is the red warning level: a drill-down may name either.
  const warning = oneOf(WARNING_FILTERS, one(query.warning)) || (flag(one(query.overdue)) ? 'red' : '');
  return {
    filters: {
      status: oneOf(WORK_ORDER_STATUSES, one(query.status)),
      requestType: oneOf(REQUEST_TYPES, one(query.requestType)),
      channel: oneOf(CHANNELS, one(query.channel)),
      warning,
      keyword: one(query.keyword),
      citizenPhone: one(query.citizenPhone),
      leadUnitId: idOrNull(one(query.leadUnitId)),
      categoryId: idOrNull(one(query.categoryId)),
      assignedToMe: one(query.assignee) === 'me',
      ...createdOf(query),
      closedSpan: closedOf(query),
      flags,
    },
    page: positiveInt(one(query.page), 1),
    pageSize: positiveInt(one(query.pageSize), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    sort: sortBy ? { sortBy, sortOrder: sortOrder || 'DESC' } : null,
    cursor: CURSOR.test(cursor) ? cursor : null,
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
  if (filters.leadUnitId !== null) query.leadUnitId = String(filters.leadUnitId);
  if (filters.categoryId !== null) query.categoryId = String(filters.categoryId);
  if (filters.assignedToMe) query.assignee = 'me';
  for (const name of FLAG_FILTERS) if (filters.flags[name]) query[name] = 'true';
  if (filters.createdRange) [query.from, query.to] = filters.createdRange;
  else if (filters.createdSpan) {
    if (filters.createdSpan.from) query.createdFrom = filters.createdSpan.from;
    if (filters.createdSpan.to) query.createdTo = filters.createdSpan.to;
  }
  if (filters.closedSpan?.from) query.closedFrom = filters.closedSpan.from;
  if (filters.closedSpan?.to) query.closedTo = filters.closedSpan.to;
  if (state.cursor) query.cursor = state.cursor;
  else if (state.page > 1) query.page = String(state.page);
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
  // A cursor continues where the previous page ended; it goes without a page number.
  const query: WorkOrderQuery = state.cursor ? { cursor: state.cursor, pageSize: state.pageSize } : { page: state.page, pageSize: state.pageSize };
  if (filters.status) query.status = filters.status;
  if (filters.requestType) query.requestType = filters.requestType;
  if (filters.channel) query.channel = filters.channel;
  if (filters.warning) query.warning = filters.warning;
  if (filters.keyword) query.keyword = filters.keyword;
  if (filters.citizenPhone) query.citizenPhone = filters.citizenPhone;
  if (filters.leadUnitId !== null) query.leadUnitId = filters.leadUnitId;
  if (filters.categoryId !== null) query.categoryId = filters.categoryId;
  if (filters.assignedToMe) query.assignee = 'me';
  for (const name of FLAG_FILTERS) if (filters.flags[name]) query[name] = true;
  if (filters.createdRange) {
    const [from, to] = filters.createdRange;
    // Days of the center (Asia/Shanghai, UTC+8 all year), whatever the browser's zone.
    query.createdFrom = startOfDay(from).toISOString();
    query.createdTo = new Date(startOfDay(to).getTime() + DAY_MS - 1).toISOString();
  } else if (filters.createdSpan) {
    if (filters.createdSpan.from) query.createdFrom = filters.createdSpan.from;
    if (filters.createdSpan.to) query.createdTo = filters.createdSpan.to;
  }
  if (filters.closedSpan?.from) query.closedFrom = filters.closedSpan.from;
  if (filters.closedSpan?.to) query.closedTo = filters.closedSpan.to;
  if (state.sort) {
    query.sortBy = state.sort.sortBy;
    query.sortOrder = state.sort.sortOrder;
  }
  return query;
}

/** The dates the date picker shows for a span of instants (its end exclusive). */
export function spanDates(span: { from: string | null; to: string | null }): [string, string] | null {
  if (!span.from || !span.to) return null;
  return [centerDate(Date.parse(span.from)), centerDate(Date.parse(span.to) - 1)];
}

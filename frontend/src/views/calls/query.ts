import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { CALL_LIST_MAX_OFFSET, CALL_STATUSES, type CallListQuery, type CallStatus } from '@/api/calls';
import { MAX_PAGE_SIZE } from '@/api/models';
import { CENTER_UTC_OFFSET } from '@/utils/date';

/** The call list's filter form; empty strings and nulls mean "any". */
export interface CallFilters {
  /** Days of the center (`YYYY-MM-DD`), both included. */
  dates: [string, string] | null;
  /** The answering agent (user id). */
  agentId: number | null;
  status: CallStatus | '';
  phone: string;
}

/** What the list shows; kept in the address so that back from a call's page, a reload or a link keep it. */
export interface CallListState {
  filters: CallFilters;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, MAX_PAGE_SIZE];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function emptyFilters(): CallFilters {
  return { dates: null, agentId: null, status: '', phone: '' };
}

/** The highest page the API answers for a page size ((page − 1) × pageSize ≤ 10,000). */
export function lastReachablePage(pageSize: number): number {
  return Math.floor(CALL_LIST_MAX_OFFSET / pageSize) + 1;
}

const one = (value: LocationQuery[string] | undefined): string | null => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
};

function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d{1,9}$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 ? number : null;
}

function isDate(value: string | null): value is string {
  if (value === null || !DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** The list state of an address; whatever is malformed there is ignored (an old bookmark never breaks the page). */
export function parseListQuery(query: LocationQuery): CallListState {
  const from = one(query.from);
  const to = one(query.to);
  const status = one(query.status);
  const pageSize = positiveInt(one(query.pageSize));
  const size = pageSize !== null && PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE;
  const page = Math.min(positiveInt(one(query.page)) ?? 1, lastReachablePage(size));
  return {
    filters: {
      dates: isDate(from) && isDate(to) && from <= to ? [from, to] : null,
      agentId: positiveInt(one(query.agentId)),
      status: status !== null && (CALL_STATUSES as readonly string[]).includes(status) ? (status as CallStatus) : '',
      phone: (one(query.phone) ?? '').trim().slice(0, 64),
    },
    page,
    pageSize: size,
  };
}

/** The address of a list state: only what differs from the defaults. */
export function toRouteQuery(state: CallListState): LocationQueryRaw {
  const { filters } = state;
  const query: LocationQueryRaw = {};
  if (filters.dates) [query.from, query.to] = filters.dates;
  if (filters.agentId !== null) query.agentId = String(filters.agentId);
  if (filters.status) query.status = filters.status;
  if (filters.phone.trim()) query.phone = filters.phone.trim();
  if (state.page > 1) query.page = String(state.page);
  if (state.pageSize !== DEFAULT_PAGE_SIZE) query.pageSize = String(state.pageSize);
  return query;
}

/** Midnight starting a day of the center, with its offset (RFC 3339, as the API takes it). */
export function startOfCenterDay(date: string): string {
  return `${date}T00:00:00${CENTER_UTC_OFFSET}`;
}

/** The day after a `YYYY-MM-DD` (local dates carry no zone, so UTC arithmetic is exact). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The `GET /api/calls` query: whole days of the center, `to` exclusive (calls that started before it). */
export function toApiQuery(state: CallListState): CallListQuery {
  const { filters } = state;
  const query: CallListQuery = { page: state.page, pageSize: state.pageSize };
  if (filters.dates) {
    query.from = startOfCenterDay(filters.dates[0]);
    query.to = startOfCenterDay(nextDay(filters.dates[1]));
  }
  if (filters.agentId !== null) query.agentId = filters.agentId;
  if (filters.status) query.status = filters.status;
  const phone = filters.phone.trim();
  if (phone) query.phone = phone;
  return query;
}

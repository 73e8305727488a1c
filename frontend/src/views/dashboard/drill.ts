import type { LocationQueryRaw, RouteLocationRaw } from 'vue-router';
import type { DashboardDrillQuery } from '@/api/dashboard';

/** The work-order list page; it reads its filters from the URL query (views/work-orders/list/query.ts). */
export const WORK_ORDER_LIST_PATH = '/work-orders';

/**
 * The URL query of the list page for a figure's drill-down: the figure's `GET /api/work-orders` query with every
 * value as text (the list page names its filters like the API: status, open, warning, channel, requestType,
 * categoryId, leadUnitId, createdFrom, createdTo). Empty values are left out.
 */
export function drillQuery(query: DashboardDrillQuery): LocationQueryRaw {
  const out: LocationQueryRaw = {};
  for (const [name, value] of Object.entries(query) as [string, string | number | boolean | undefined | null][]) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    out[name] = String(value);
  }
  return out;
}

/** Where clicking a figure goes: the list filtered to the orders it counts. */
export function drillRoute(query: DashboardDrillQuery): RouteLocationRaw {
  return { path: WORK_ORDER_LIST_PATH, query: drillQuery(query) };
}

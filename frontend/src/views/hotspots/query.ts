import type { HotspotQuery } from '@/api/hotspots';
import { CENTER_UTC_OFFSET } from '@/utils/date';

/** The local date (YYYY-MM-DD) after `date`; local dates carry no zone, so UTC arithmetic is exact. */
function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * A range of center-local days (YYYY-MM-DD) as the API's RFC 3339 instants with the center's offset: from the first
 * day's start (inclusive) to the start of the day after the last (exclusive).
 */
export function centerDayRange(range: readonly [string, string] | null): { from?: string; to?: string } {
  if (!range) return {};
  const [first, last] = range;
  return { from: `${first}T00:00:00${CENTER_UTC_OFFSET}`, to: `${nextDate(last)}T00:00:00${CENTER_UTC_OFFSET}` };
}

/** The hotspot page's filters as the user sets them. */
export interface HotspotFilters {
  active: boolean;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number | null;
  range: [string, string] | null;
}

export function emptyHotspotFilters(): HotspotFilters {
  return { active: true, districtUnitId: null, streetUnitId: null, categoryId: null, range: null };
}

export const HOTSPOT_PAGE_SIZE = 20;

/** The query of GET /api/hotspots: unset filters left out. */
export function hotspotQuery(filters: HotspotFilters, page: number, pageSize = HOTSPOT_PAGE_SIZE): HotspotQuery {
  return {
    state: filters.active ? 'active' : 'all',
    ...(filters.districtUnitId !== null ? { districtUnitId: filters.districtUnitId } : {}),
    ...(filters.streetUnitId !== null ? { streetUnitId: filters.streetUnitId } : {}),
    ...(filters.categoryId !== null ? { categoryId: filters.categoryId } : {}),
    ...centerDayRange(filters.range),
    page,
    pageSize,
  };
}

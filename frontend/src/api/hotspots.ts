import { http } from './http';
import type { Hotspot, HotspotPage, HotspotQuery } from './models';

/* 多人反映 / 热点: groups of orders from several callers about one matter and place (backend GET /api/hotspots). */

export type { Hotspot, HotspotMember, HotspotPage, HotspotQuery } from './models';

/** Largest first, then the fastest growing, then the latest; scoped like the order lists. */
export function listHotspots(query: HotspotQuery, signal?: AbortSignal): Promise<HotspotPage> {
  return http.get<HotspotPage>('/hotspots', { params: query, signal });
}

/** One hotspot with all its orders. */
export function getHotspot(id: number, signal?: AbortSignal): Promise<Hotspot> {
  return http.get<Hotspot>(`/hotspots/${id}`, { signal });
}

/** `hotspot.changed` (to supervisors and admins, backend/src/events/app-events.ts): a hotspot formed or grew. */
export interface HotspotChangedEvent {
  hotspotId: number;
  matterId: number;
  change: 'formed' | 'grown';
  /** The order whose registration formed or grew it (of orders screened together, the latest). */
  workOrderId: number;
  title: string;
  address: string;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number;
  memberCount: number;
  callerCount: number;
  firstAt: string;
  lastAt: string;
}

import type { WorkOrderStatus } from '../work-orders/work-order.enums';

/**
 * An order of a hotspot. One the caller may not open (a unit sees a hotspot when one of its orders is in it, not the
 * other units' orders) shows only its id and `accessible: false`.
 */
export interface HotspotMemberView {
  id: number;
  accessible: boolean;
  number?: string;
  title?: string;
  status?: WorkOrderStatus;
  createdAt?: Date;
  /** As lists show it: in full for the center, masked (138****1234) for units, null on a confidential order. */
  citizenName?: string | null;
  citizenPhone?: string | null;
}

/** 热点 (多人反映): one matter several citizens reported at one place, with its size and growth. */
export interface HotspotView {
  id: number;
  matterId: number;
  /** Title and address of the matter's latest order. */
  title: string;
  address: string;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number;
  categoryPath: string;
  /** Orders of the matter within the hotspot window when it last grew, and their distinct callers. */
  memberCount: number;
  callerCount: number;
  firstAt: Date;
  lastAt: Date;
  formedAt: Date;
  updatedAt: Date;
  /** Its last order is within the hotspot window (HOTSPOT_WINDOW_DAYS) of now. */
  active: boolean;
  /** Orders of the matter in the last 7 days and in the 7 days before: growth = recentCount − previousCount. */
  recentCount: number;
  previousCount: number;
  growth: number;
  /** Newest first: all of them on GET /api/hotspots/:id, the newest HOTSPOT_LIST_MEMBERS in a list. */
  members: HotspotMemberView[];
  /** All the matter's orders since firstAt (members may show fewer). */
  memberTotal: number;
}

import type { WorkOrderStatus } from '../work-orders/work-order.enums';

/** An earlier work order of the caller, as the screen pop lists it. */
export interface ScreenPopOrder {
  id: number;
  number: string;
  title: string;
  status: WorkOrderStatus;
  /** UTC ISO date-time of registration. */
  createdAt: string;
}

/**
 * 疑似重复: an order of the caller within the repeat detector's window (REPEAT_WINDOW_DAYS) that is still open, or whose
 * matter (事项) still has an open order — what the agent asks about: "you called about this before; is it the same?"
 */
export interface ScreenPopRepeatCandidate extends ScreenPopOrder {
  /** The matter the repeat detector put the order in (the id of the matter's first order); null when it never recorded it. */
  matterId: number | null;
  /** Some order of that matter is still open (not closed, merged, cancelled or invalid); without a matter, the order itself. */
  matterOpen: boolean;
  /** 重复件: the original this order was marked a repeat of, if any. */
  repeatOfId: number | null;
}

/**
 * 弹屏: what the agent's console shows when the ACD offers them a call — pushed as `cti.screenPop`, and read again with
 * GET /api/calls/{id}/screen-pop by a console that (re)loads while the call rings or lasts.
 */
export interface ScreenPopView {
  callId: string;
  /** calls.id: GET /api/calls/{id}. */
  callRecordId: number;
  /** The agent the call is offered to (or was answered by). */
  userId: number;
  extension: string | null;
  /** The caller's number (what the intake form is pre-filled with); null when the call's newCall has not arrived. */
  fromNumber: string | null;
  toNumber: string | null;
  /** UTC ISO date-time the ACD last offered the call; null for a call the ACD never offered (a PBX rang the agent itself). */
  offeredAt: string | null;
  /** The caller's earlier work orders (same citizen phone) the agent may see, newest first, at most 10. */
  earlierOrders: ScreenPopOrder[];
  /** How many there are in all. */
  earlierOrdersTotal: number;
  /** The caller's likely repeats (see ScreenPopRepeatCandidate), newest first, at most 5. */
  repeatCandidates: ScreenPopRepeatCandidate[];
}

import { http } from './http';
import type { ShirkingQuery, ShirkingQueue, ShirkingUnits, ShirkingUnitsQuery, WorkOrderDetail } from './models';
import { performAction, type ActionBody } from './work-order-actions';

/* 推诿扯皮 / 争议件 / 裁定: the supervisors' queue of flagged orders, the per-unit figures, and the ruling. */

export type { ShirkingFlag, ShirkingOrder, ShirkingQueueItem, ShirkingRule, ShirkingUnit } from './models';

/** The supervisors' queue (paged): flagged orders, the most recently flagged first, each with all its flags. */
export function listShirking(query: ShirkingQuery, signal?: AbortSignal): Promise<ShirkingQueue> {
  return http.get<ShirkingQueue>('/shirking', { params: query, signal });
}

/** Per unit in a period (default the last 30 days): flagged orders, flags by rule, returns, bounces, return rate. */
export function listShirkingUnits(query: ShirkingUnitsQuery, signal?: AbortSignal): Promise<ShirkingUnits> {
  return http.get<ShirkingUnits>('/shirking/units', { params: query, signal });
}

export type RuleBody = ActionBody<'rule'>;

/** 裁定: the supervisor decides the lead unit of a disputed order; it is dispatched there and cannot be returned again. */
export function ruleOrder(id: number, body: RuleBody): Promise<WorkOrderDetail> {
  return performAction(id, 'rule', body);
}

/** The limits of the ruling's reason (the backend's RuleDto). */
export const RULING_REASON_LIMITS = { minLength: 2, maxLength: 2000 } as const;

/** The ruling on a disputed order, as the order page shows it: the ruled unit and time, who ruled and why (from the timeline). */
export interface RulingInfo {
  unitId: number;
  unitName: string | null;
  ruledAt: string | null;
  ruledBy: string | null;
  reason: string | null;
}

/** The order's ruling, or null while none was made. */
export function rulingOf(order: WorkOrderDetail): RulingInfo | null {
  if (order.ruledUnitId == null) return null;
  const event = [...order.timeline].reverse().find((entry) => entry.action === 'rule') ?? null;
  const unitName = order.leadUnitId === order.ruledUnitId ? (order.leadUnit?.name ?? null) : (event?.unitName ?? null);
  return { unitId: order.ruledUnitId, unitName, ruledAt: order.ruledAt ?? event?.createdAt ?? null, ruledBy: event?.actorName ?? null, reason: event?.reason ?? null };
}

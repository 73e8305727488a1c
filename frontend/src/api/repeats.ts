import { http } from './http';
import type { components } from './generated/openapi';
import type { RegisteredWorkOrder, SimilarOrder, WorkOrderDetail, WorkOrderSummary } from './models';

type Schemas = components['schemas'];
import { performAction, type ActionBody } from './work-order-actions';

/* 重复件 / 相似工单: the repeat detector's candidates (backend/src/repeat-detection) and the repeat marks. */

export type { CandidateKind, CandidateReason, CandidateReasonCode, SimilarOrder } from './models';

/** What the intake form holds so far: candidates for an order not yet registered (only the content is required). */
export type SimilarDraftRequest = Schemas['SimilarDraftDto'];

/** `POST /api/work-orders/similar-drafts`: candidates for the form being typed. */
export function findSimilarDrafts(body: SimilarDraftRequest, signal?: AbortSignal): Promise<SimilarOrder[]> {
  return http.post<SimilarOrder[]>('/work-orders/similar-drafts', body, { signal });
}

/** How many similar orders the order page asks for. */
export const SIMILAR_LIMIT = 10;

/** `GET /api/work-orders/:id/similar`: earlier orders about the same matter as a stored one, best first. */
export function getSimilarOrders(id: number, limit = SIMILAR_LIMIT, signal?: AbortSignal): Promise<SimilarOrder[]> {
  return http.get<SimilarOrder[]>(`/work-orders/${id}/similar`, { params: { limit }, signal });
}

/** The registration's candidates; an order read again later (a plain detail) has none. */
export function similarOrdersOf(order: WorkOrderDetail | RegisteredWorkOrder): SimilarOrder[] {
  return 'similarOrders' in order ? order.similarOrders : [];
}

/** What the order page reads about repeats and disputes. */
export interface RepeatFields {
  repeatOfId: number | null;
  repeatCount: number;
  repeatOf: WorkOrderSummary | null;
  repeats: WorkOrderSummary[];
  /** 争议件: returned repeatedly or bounced between units; a supervisor rules. */
  disputed: boolean;
  /** 裁定: the unit the center ruled the order to, and when. */
  ruledUnitId: number | null;
  ruledAt: string | null;
}

/** The order's repeat and dispute facts. */
export function repeatFieldsOf(order: WorkOrderDetail): RepeatFields {
  const { repeatOfId, repeatCount, repeatOf, repeats, disputed, ruledUnitId, ruledAt } = order;
  return { repeatOfId, repeatCount, repeatOf, repeats, disputed, ruledUnitId, ruledAt };
}

/** 标记重复件: this order repeats `targetId` (the same caller's same matter). */
export function markRepeat(id: number, body: ActionBody<'mark-repeat'>): Promise<WorkOrderDetail> {
  return performAction(id, 'mark-repeat', body);
}

/** 取消重复件标记. */
export function unmarkRepeat(id: number, body: ActionBody<'unmark-repeat'>): Promise<WorkOrderDetail> {
  return performAction(id, 'unmark-repeat', body);
}

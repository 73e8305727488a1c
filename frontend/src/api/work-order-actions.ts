import type { paths } from './generated/openapi';
import { http } from './http';
import type { WorkOrderAction, WorkOrderDetail } from './models';

type ActionOperation<A extends WorkOrderAction> = paths[`/api/work-orders/{id}/${A}`]['post'];

/** The body `POST /api/work-orders/:id/<action>` takes, as the OpenAPI document describes it (always with `version`). */
export type ActionBody<A extends WorkOrderAction> =
  ActionOperation<A> extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;

/**
 * Performs a lifecycle action on an order. The answer is the order as it is now (with its timeline and what the
 * caller may do next); a stale `version` or an action no longer allowed rejects with a 409 ApiError.
 */
export function performAction<A extends WorkOrderAction>(id: number, action: A, body: ActionBody<A>): Promise<WorkOrderDetail> {
  return http.post<WorkOrderDetail>(`/work-orders/${id}/${action}`, body);
}

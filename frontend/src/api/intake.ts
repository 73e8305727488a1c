import { http } from './http';
import type { RegisterWorkOrderRequest, RegisteredWorkOrder, WorkOrderPage } from './models';

/** 受理/登记: `POST /api/work-orders`; the answer is the new order with what the caller may do next (dispatch, 直办…). */
export function registerWorkOrder(body: RegisterWorkOrderRequest): Promise<RegisteredWorkOrder> {
  return http.post<RegisteredWorkOrder>('/work-orders', body);
}

/** How many of a caller's earlier orders the intake page shows. */
export const CALLER_HISTORY_SIZE = 10;

/**
 * The caller's earlier orders, newest first (`GET /api/work-orders?citizenPhone=…&sortBy=createdAt`). Only the
 * center may search by phone (unit staff see phones masked and get a 403).
 */
export function listCallerOrders(phone: string, signal?: AbortSignal): Promise<WorkOrderPage> {
  return http.get<WorkOrderPage>('/work-orders', {
    params: { citizenPhone: phone, sortBy: 'createdAt', sortOrder: 'DESC', pageSize: CALLER_HISTORY_SIZE },
    signal,
  });
}

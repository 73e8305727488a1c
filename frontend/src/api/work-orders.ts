import { http } from './http';
import type { WorkOrderDetail, WorkOrderPage, WorkOrderQuery } from './models';

export function listWorkOrders(query: WorkOrderQuery, signal?: AbortSignal): Promise<WorkOrderPage> {
  return http.get<WorkOrderPage>('/work-orders', { params: query, signal });
}

export function getWorkOrder(id: number, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return http.get<WorkOrderDetail>(`/work-orders/${id}`, { signal });
}

import { http } from './http';
import type { WorkOrder, WorkOrderDetail, WorkOrderPage, WorkOrderQuery } from './types';

export function listWorkOrders(query: WorkOrderQuery, signal?: AbortSignal): Promise<WorkOrderPage<WorkOrder>> {
  return http.get<WorkOrderPage<WorkOrder>>('/work-orders', { params: query, signal });
}

export function getWorkOrder(id: number, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return http.get<WorkOrderDetail>(`/work-orders/${id}`, { signal });
}

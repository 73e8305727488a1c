import { http } from './http';
import type { Page, WorkOrder, WorkOrderDetail, WorkOrderQuery } from './types';

export function listWorkOrders(query: WorkOrderQuery, signal?: AbortSignal): Promise<Page<WorkOrder>> {
  return http.get<Page<WorkOrder>>('/work-orders', { params: query, signal });
}

export function getWorkOrder(id: number, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return http.get<WorkOrderDetail>(`/work-orders/${id}`, { signal });
}

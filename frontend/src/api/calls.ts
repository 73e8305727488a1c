import { readErrorBlob } from './blob-error';
import { http } from './http';
import type { components, operations } from './generated/openapi';
import { agentStateValues, callStatusValues } from './generated/openapi';
import type { WorkOrderPage } from './models';

// 话务记录 (GET /api/calls*, GET /api/cti/live): aliases of the generated types. Who may call what: docs/cti.md.
type Schemas = components['schemas'];
export type CallStatus = Schemas['CallStatus'];
export const CALL_STATUSES: readonly CallStatus[] = callStatusValues;
export type AgentState = Schemas['AgentState'];
export const AGENT_STATES: readonly AgentState[] = agentStateValues;
export type CallPerson = Schemas['CallPersonResponse'];
export type CallRecording = Schemas['CallRecordingResponse'];
export type CallSurvey = Schemas['CallSurveyResponse'];
export type SurveyRating = NonNullable<CallSurvey['rating']>;
export type CallCause = NonNullable<Schemas['CallResponse']['cause']>;
export type CallRecord = Schemas['CallResponse'];
export type CallDetail = Schemas['CallDetailResponse'];
export type CallWorkOrder = Schemas['CallWorkOrderResponse'];
export type AgentStateView = Schemas['AgentStateResponse'];
export type LiveView = Schemas['LiveViewResponse'];
export type CallListQuery = NonNullable<operations['CallsController_list']['parameters']['query']>;
export type CallBackListQuery = NonNullable<operations['CallsController_callBackList']['parameters']['query']>;

/** An order linked to a call as a list row names it. */
export type LinkedOrderRef = Schemas['CallWorkOrderRefResponse'];

/** A row of the call lists, with the orders linked to the call (`workOrders`, id and number). */
export type CallListItem = CallRecord;
export interface CallListPage {
  total: number;
  page: number;
  pageSize: number;
  items: CallListItem[];
}

/** `(page − 1) × pageSize` may not exceed this (the API's MAX_PAGE_OFFSET). */
export const CALL_LIST_MAX_OFFSET = 10_000;

/** `GET /api/calls`: the latest start first. */
export function listCalls(query: CallListQuery, signal?: AbortSignal): Promise<CallListPage> {
  return http.get<CallListPage>('/calls', { params: query, signal });
}

/** `GET /api/calls/missed`: the call-back list (missed and abandoned inbound calls nobody called back), newest first. */
export function listMissedCalls(query: CallBackListQuery, signal?: AbortSignal): Promise<CallListPage> {
  return http.get<CallListPage>('/calls/missed', { params: query, signal });
}

export function getCall(id: number, signal?: AbortSignal): Promise<CallDetail> {
  return http.get<CallDetail>(`/calls/${id}`, { signal });
}

/** 回拨 done: the call leaves the call-back list (409 when it is not missed/abandoned or someone already did it). */
export function markCalledBack(id: number): Promise<CallDetail> {
  return http.post<CallDetail>(`/calls/${id}/called-back`);
}

/** Links an order to the call (404 unknown call or order, 409 already linked). */
export function linkWorkOrder(id: number, workOrderId: number): Promise<CallDetail> {
  return http.post<CallDetail>(`/calls/${id}/work-orders`, { workOrderId });
}

/** An account that answers calls, as `GET /api/calls/agents` names it. */
export type CallAgent = Schemas['CallAgentResponse'];

/** `GET /api/calls/agents` (center staff): the active agents, by name — the call list's agent filter. */
export function listCallAgents(signal?: AbortSignal): Promise<CallAgent[]> {
  return http.get<CallAgent[]>('/calls/agents', { signal });
}

/** `GET /api/cti/live` (supervisors, administrators). */
export function getLiveView(signal?: AbortSignal): Promise<LiveView> {
  return http.get<LiveView>('/cti/live', { signal });
}

/**
 * The order with exactly this number, or null: the work-order list's keyword search matches numbers by their leading
 * digits, so the exact one is picked from the first page.
 */
export async function findWorkOrderByNumber(number: string, signal?: AbortSignal): Promise<{ id: number; number: string } | null> {
  const page = await http.get<WorkOrderPage>('/work-orders', { params: { keyword: number, pageSize: 20 }, signal });
  const order = page.items.find((item) => item.number === number);
  return order ? { id: order.id, number: order.number } : null;
}

/**
 * The call's recording as a Blob, through the console's HTTP client (the route needs the Bearer token, which an
 * `<audio src>` cannot send; a 401 renews the session as for any call). A failure is the server's error, read back
 * from the blob body.
 */
export async function fetchRecording(id: number, signal?: AbortSignal): Promise<Blob> {
  try {
    return await http.request<Blob>({ method: 'GET', url: `/calls/${id}/recording`, responseType: 'blob', headers: { Accept: 'audio/wav, */*' } }, { signal });
  } catch (error) {
    throw await readErrorBlob(error);
  }
}

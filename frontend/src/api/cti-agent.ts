import type { components } from './generated/openapi';
import { http } from './http';

type Schemas = components['schemas'];

/** 坐席状态: ready 就绪, busy 忙碌, away 离开, offline 离线, ringing 振铃 (the ACD offers a call). */
export type AgentState = Schemas['AgentState'];
/** The states an agent sets themself (`PUT /api/cti/agents/me/state`); the others follow calls and sessions. */
export const SETTABLE_AGENT_STATES = ['ready', 'busy', 'away'] as const;
export type SettableAgentState = (typeof SETTABLE_AGENT_STATES)[number];

/**
 * The agent's own state as `GET /api/cti/agents/me/state` answers it and `cti.agentState` pushes it, with the record
 * of the current call (for its screen pop) and the state's version (a push older than the state shown is stale).
 */
export type AgentStateResponse = Schemas['AgentStateResponse'];
/** A call record with the orders linked to it (`GET /api/calls/{id}`, the answer of a link). */
export type CallDetail = Schemas['CallDetailResponse'];
/** An earlier order of the caller as the screen pop lists it. */
export type ScreenPopOrder = Schemas['ScreenPopOrderResponse'];
/** 疑似重复: an order of the caller within the repeat window that is open, or whose matter (事项) still is. */
export type ScreenPopRepeatCandidate = Schemas['ScreenPopRepeatCandidateResponse'];
/**
 * 弹屏: the call the ACD offers the agent, with what the agent needs before answering — `cti.screenPop` and
 * `GET /api/calls/{id}/screen-pop` (docs/cti.md "Screen pop").
 */
export type ScreenPop = Schemas['ScreenPopResponse'];

export function getOwnAgentState(): Promise<AgentStateResponse> {
  return http.get<AgentStateResponse>('/cti/agents/me/state');
}

/** 409 while a call rings at the agent's phone or they are in one; 422 for ready without an extension. */
export function setOwnAgentState(state: SettableAgentState): Promise<AgentStateResponse> {
  return http.request<AgentStateResponse>({ method: 'PUT', url: '/cti/agents/me/state', data: { state } });
}

/** The screen pop of a call offered to (or answered by) the agent, for a console (re)loaded meanwhile. */
export function getScreenPop(callRecordId: number): Promise<ScreenPop> {
  return http.get<ScreenPop>(`/calls/${callRecordId}/screen-pop`);
}

/** Links an order registered during the call to it; 409 when it is linked already. */
export function linkWorkOrderToCall(callRecordId: number, workOrderId: number): Promise<CallDetail> {
  return http.post<CallDetail>(`/calls/${callRecordId}/work-orders`, { workOrderId });
}

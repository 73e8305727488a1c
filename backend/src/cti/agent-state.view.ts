import type { AgentState } from './cti.enums';

/**
 * 坐席状态 as the console sees it: GET/PUT /api/cti/agents/me/state, the live view's agents, and the `cti.agentState`
 * push (event `cti.agentStateChanged`). AgentStateResponse (dto/cti.response.ts) documents it for OpenAPI.
 */
export interface AgentStateView {
  userId: number;
  username: string;
  displayName: string;
  /** The agent's extension; null without a phone. */
  extension: string | null;
  state: AgentState;
  /** UTC ISO date-times; null for an agent who never set a state (offline). */
  since: string | null;
  idleSince: string | null;
  lastCallEndedAt: string | null;
  /** The SIP Call-ID of the call ringing at the agent or in progress with them. */
  currentCallId: string | null;
  /** calls.id of that call (GET /api/calls/{id}, …/screen-pop); null without a call or before its record exists. */
  currentCallRecordId: number | null;
  /** Moves on with every change of the agent's state row (0: none yet): a push older than the one shown is stale. */
  version: number;
}

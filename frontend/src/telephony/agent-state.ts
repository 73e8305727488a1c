import { ApiError } from '@/api/api-error';
import type { AgentState, AgentStateResponse } from '@/api/cti-agent';

/**
 * The message key for a refused state change, when the console can say more than the HTTP status: no extension
 * (422), a call ringing or going on (409 with the state), a change at the same moment (another 409).
 */
export function stateErrorKey(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.kind !== 'server') return null;
  if (error.statusCode === 422) return 'telephony.state.noExtension';
  if (error.statusCode !== 409) return null;
  const state = error.details?.state;
  if (state === 'ringing') return 'telephony.state.ringingNow';
  if (state === 'busy') return 'telephony.state.inCall';
  return 'telephony.state.changedMeanwhile';
}

/** While a call rings at the agent or goes on with them the state follows it (the server refuses changes: 409). */
export function followsCall(state: AgentStateResponse): boolean {
  return state.state === 'ringing' || (state.state === 'busy' && state.currentCallId !== null);
}

/** Time in a state: m:ss, or h:mm:ss from an hour on; never negative (the browser's clock may be behind). */
export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The dot's colour of each state (Element Plus's palette). */
export const STATE_COLOURS: Record<AgentState, 'success' | 'warning' | 'info' | 'danger' | 'primary'> = {
  ready: 'success',
  busy: 'warning',
  away: 'info',
  offline: 'info',
  ringing: 'danger',
};

import type { Role } from '../users/role';

/** Who placed the call: a citizen calling the hotline (inbound) or the center calling out (outbound, e.g. a call-back). */
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/**
 * A call's status, derived from the times its events gave (call-outcome.ts), so the order they arrive in does not matter:
 * - ringing: it arrived (newCall) and is neither queued, answered nor ended;
 * - queued: the IVR put the caller in the queue (queued) and no agent has answered yet;
 * - answered: an agent answered (stays answered once it ends);
 * - missed: it ended unanswered without ever being queued (the caller hung up while it rang, at the IVR or at an agent);
 * - abandoned: it ended unanswered after being queued (the caller gave up waiting, also while an agent's phone rang);
 * - failed: it ended unanswered with the cause `failed` (a technical failure, not the caller's choice).
 */
export const CALL_STATUSES = ['ringing', 'queued', 'answered', 'missed', 'abandoned', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The statuses of an unanswered inbound call that belongs on the call-back list. */
export const CALL_BACK_STATUSES: readonly CallStatus[] = ['missed', 'abandoned'];

/** Why a call ended (the hangup event's cause). */
export const CALL_CAUSES = ['normalClearing', 'busy', 'cancel', 'noAnswer', 'failed'] as const;
export type CallCause = (typeof CALL_CAUSES)[number];

/** The events of POST /api/cti/events. */
export const CTI_EVENT_TYPES = ['newCall', 'queued', 'answer', 'hangup', 'survey'] as const;
export type CtiEventType = (typeof CTI_EVENT_TYPES)[number];

/** 坐席状态: ready, busy (by choice or in a call), away, offline (no state set yet, or the phone was removed), ringing (the ACD offers a call). */
export const AGENT_STATES = ['ready', 'busy', 'away', 'offline', 'ringing'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** The states an agent sets themself. */
export const AGENT_SETTABLE_STATES = ['ready', 'busy', 'away'] as const;
export type AgentSettableState = (typeof AGENT_SETTABLE_STATES)[number];

/** 满意度 of the post-call survey: key 1 satisfied, 2 basically satisfied, 3 dissatisfied. */
export const SURVEY_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type SurveyRating = (typeof SURVEY_RATINGS)[number];

/** The rating of a survey key; null for any other key (kept as the digit only). */
export function surveyRatingOf(digit: string): SurveyRating | null {
  return ({ '1': 'satisfied', '2': 'basically_satisfied', '3': 'dissatisfied' } as const)[digit as '1' | '2' | '3'] ?? null;
}

/** Who may read call records and recordings: the center's staff (units never see calls; the auditor works on the audit trail only). */
export const CALL_STAFF_ROLES: Role[] = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin'];
/** Who answers calls from the ACD (has a phone, sets a state). */
export const ACD_AGENT_ROLES: Role[] = ['agent'];
/** Who watches the live view. */
export const LIVE_VIEW_ROLES: Role[] = ['supervisor', 'admin'];

export const MAX_CALL_ID_LENGTH = 128;
export const MAX_PHONE_LENGTH = 64;
export const MAX_EXTENSION_LENGTH = 16;

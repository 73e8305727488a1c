import type { CallCause, CallStatus } from './cti.enums';

/** What the events of a call have told so far. */
export interface CallFacts {
  ringingAt: Date | null;
  queuedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  cause: CallCause | null;
}

export interface CallOutcome {
  status: CallStatus;
  /** Arrival (ringing, else queued) to answer, or to the end of an unanswered call; null while unknown or still waiting. */
  waitSeconds: number | null;
  /** Answer to end; null unless both are known. */
  talkSeconds: number | null;
}

/** Whole seconds from `from` to `to`, rounded, never negative (clocks of two sources may disagree by a little). */
function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/**
 * The status and the durations of a call, from its times alone: events that arrive late or out of order (a replay
 * after the backend was down) give the same record as events in order. See CALL_STATUSES for the statuses.
 */
export function callOutcome(facts: CallFacts): CallOutcome {
  const arrival = facts.ringingAt ?? facts.queuedAt;
  if (facts.answeredAt) {
    return {
      status: 'answered',
      waitSeconds: arrival ? secondsBetween(arrival, facts.answeredAt) : null,
      talkSeconds: facts.endedAt ? secondsBetween(facts.answeredAt, facts.endedAt) : null,
    };
  }
  if (facts.endedAt) {
    const status: CallStatus = facts.cause === 'failed' ? 'failed' : facts.queuedAt ? 'abandoned' : 'missed';
    return { status, waitSeconds: arrival ? secondsBetween(arrival, facts.endedAt) : null, talkSeconds: null };
  }
  return { status: facts.queuedAt ? 'queued' : 'ringing', waitSeconds: null, talkSeconds: null };
}

import type { AppConfig } from '../config/app-config';
import type { WorkOrder } from './entities/work-order.entity';
import type { CallbackAnswer, CallbackOutcome, Satisfaction } from './work-order.enums';

export type CallbackRules = AppConfig['callback'];

type AttemptState = Pick<WorkOrder, 'callbackAttemptCount' | 'lastCallbackAttemptAt'>;

/** Whether the order's request type needs a callback (回访) once its reply is approved. */
export function callbackRequired(order: Pick<WorkOrder, 'requestType'>, rules: CallbackRules): boolean {
  return !rules.notRequiredTypes.includes(order.requestType);
}

/**
 * Whether an unanswered attempt made now counts towards "unreachable": the first always does, a later one only
 * when it comes at least the gap after the last attempt that counted.
 */
export function attemptCounts(order: AttemptState, now: Date, rules: CallbackRules): boolean {
  if (order.callbackAttemptCount === 0 || order.lastCallbackAttemptAt === null) return true;
  return now.getTime() >= nextCountingAttemptFrom(order, rules)!.getTime();
}

/** The earliest moment an unanswered attempt counts again (null: the next one counts whenever it is made). */
export function nextCountingAttemptFrom(order: AttemptState, rules: CallbackRules): Date | null {
  if (order.callbackAttemptCount === 0 || order.lastCallbackAttemptAt === null) return null;
  return new Date(order.lastCallbackAttemptAt.getTime() + rules.attemptGapSeconds * 1000);
}

/** An unanswered attempt made now would be the last that counts: the order closes as unreachable. */
export function nextAttemptIsLast(order: AttemptState, now: Date, rules: CallbackRules): boolean {
  return attemptCounts(order, now, rules) && order.callbackAttemptCount + 1 >= rules.unreachableAttempts;
}

/** What the callback answer means for the order. */
export interface CallbackVerdict {
  /** What `callbackOutcome` records. */
  outcome: CallbackOutcome;
  /** The order goes back to the unit for another round (重办) instead of closing. */
  reopens: boolean;
  /** What `resolved` records: the citizen's word on the matter (null when they declined to say). */
  resolved: boolean | null;
}

/** The answer, from the current `outcome` or the older `resolved: boolean` (the DTO lets exactly one through). */
export function callbackAnswerOf(input: { outcome?: CallbackAnswer; resolved?: boolean }): CallbackAnswer {
  return input.outcome ?? (input.resolved ? 'resolved' : 'unresolved');
}

/**
 * declined → closed (declined); unresolved → back to the unit (unresolved); resolved → closed (resolved), except
 * resolved but dissatisfied, recorded as `dissatisfied`, which CALLBACK_DISSATISFIED sends back (`reopen`) or closes (`close`).
 */
export function callbackVerdict(answer: CallbackAnswer, satisfaction: Satisfaction | null, rules: CallbackRules): CallbackVerdict {
  switch (answer) {
    case 'declined':
      return { outcome: 'declined', reopens: false, resolved: null };
    case 'unresolved':
      return { outcome: 'unresolved', reopens: true, resolved: false };
    case 'resolved':
      return satisfaction === 'dissatisfied'
        ? { outcome: 'dissatisfied', reopens: rules.dissatisfied === 'reopen', resolved: true }
        : { outcome: 'resolved', reopens: false, resolved: true };
  }
}

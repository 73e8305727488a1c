import type { OrderDeadlines } from '../deadlines/deadline-policy';
import type { LimitName } from '../deadlines/deadline-limits';
import type { EscalationConfig } from '../escalation/escalation.config';
import { yellowInstant } from '../escalation/escalation-plan';
import type { WorkOrder } from './entities/work-order.entity';
import type { WarningLevel } from './work-order.enums';

export const DEADLINE_KINDS = ['dispatch', 'accept', 'contact', 'reply', 'return'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_CLOCKS = ['working', 'calendar'] as const;
/** `working`: office minutes of the working calendar count; `calendar`: every minute (urgent and critical limits). */
export type DeadlineClock = (typeof DEADLINE_CLOCKS)[number];

/** One deadline of an order as the console shows it: a countdown while it runs. */
export interface WorkOrderDeadlineView {
  kind: DeadlineKind;
  dueAt: Date;
  /** Whether the deadline runs in the order's status (a suspended order's clocks stand still). */
  running: boolean;
  clock: DeadlineClock;
  /**
   * Whole minutes left until `dueAt`, negative when overdue, counted on `clock`: working minutes for working-time
   * limits, elapsed minutes for calendar-hour ones. Counted from now, or from the suspension while suspended.
   */
  remainingWorkingMinutes: number;
  /** none, yellow (little time left), red (overdue); always none for a deadline that does not run. */
  level: WarningLevel;
}

type DeadlineFacts = Pick<
  WorkOrder,
  | 'status'
  | 'createdAt'
  | 'dispatchedAt'
  | 'suspendedAt'
  | 'firstContactAt'
  | 'replyClockStartedAt'
  | 'dispatchDueAt'
  | 'acceptDueAt'
  | 'contactDueAt'
  | 'replyDueAt'
  | 'returnDeadlineAt'
  | 'reopenCount'
>;

/**
 * Every deadline the order has, in lifecycle order, with what is left of it at `now`. The yellow instant is the
 * scheduler's own (yellowInstant: ≤ DEADLINE_YELLOW_FRACTION of the limit or ≤ DEADLINE_YELLOW_HOURS left, whichever comes first);
 * the order's own `warningLevel` is the scheduler's verdict and may trail this by one tick.
 */
export function deadlinesOf(
  order: DeadlineFacts,
  deadlines: OrderDeadlines,
  now: Date,
  thresholds: Pick<EscalationConfig, 'yellowFraction' | 'yellowHours'>,
): WorkOrderDeadlineView[] {
  const at = order.status === 'suspended' && order.suspendedAt ? order.suspendedAt : now;
  // 领导审签 (unit_review) is still the unit's handling: its reply deadline keeps running until the reply reaches the center.
  const handling = order.status === 'dispatched' || order.status === 'processing' || order.status === 'unit_review';
  // After a reopening the reply clock runs on the reopen limit (the clock restarted after dispatch).
  const reopened = order.reopenCount > 0 && order.replyClockStartedAt !== null && order.dispatchedAt !== null && order.replyClockStartedAt > order.dispatchedAt;
  const entries: { kind: DeadlineKind; dueAt: Date | null; startAt: Date | null; running: boolean; limit: LimitName }[] = [
    { kind: 'dispatch', dueAt: order.dispatchDueAt, startAt: order.createdAt, running: order.status === 'registered', limit: 'dispatch' },
    { kind: 'accept', dueAt: order.acceptDueAt, startAt: order.dispatchedAt, running: order.status === 'dispatched', limit: 'accept' },
    { kind: 'contact', dueAt: order.contactDueAt, startAt: order.dispatchedAt, running: handling && order.firstContactAt === null, limit: 'contact' },
    { kind: 'reply', dueAt: order.replyDueAt, startAt: order.replyClockStartedAt ?? order.dispatchedAt, running: handling, limit: reopened ? 'reopen' : 'reply' },
    // The return window is no fault when it passes: it just closes, so it runs only while it is open.
    { kind: 'return', dueAt: order.returnDeadlineAt, startAt: order.dispatchedAt, running: handling && order.returnDeadlineAt !== null && now < order.returnDeadlineAt, limit: 'returnWindow' },
  ];
  return entries
    .filter((e): e is typeof e & { dueAt: Date } => e.dueAt !== null)
    .map((e) => {
      const clock: DeadlineClock = deadlines.limits[e.limit].unit === 'calendar_hours' ? 'calendar' : 'working';
      const remaining = minutesBetween(at, e.dueAt, clock, deadlines);
      let level: WarningLevel = 'none';
      if (e.running) {
        if (at >= e.dueAt) level = 'red';
        else {
          const start = e.startAt !== null && e.startAt < e.dueAt ? e.startAt : e.dueAt;
          if (at >= yellowInstant(start, e.dueAt, clock === 'working', deadlines.calendar, thresholds)) level = 'yellow';
        }
      }
      return { kind: e.kind, dueAt: e.dueAt, running: e.running, clock, remainingWorkingMinutes: remaining, level };
    });
}

/** Signed whole minutes from `from` to `to` on the clock (rounded towards zero, so "0 left" means under a minute). */
function minutesBetween(from: Date, to: Date, clock: DeadlineClock, deadlines: OrderDeadlines): number {
  const sign = to >= from ? 1 : -1;
  const [a, b] = sign > 0 ? [from, to] : [to, from];
  const minutes = clock === 'calendar' ? (b.getTime() - a.getTime()) / 60_000 : deadlines.calendar.workingMinutesBetween(a, b);
  return sign * Math.floor(minutes + 1e-9);
}

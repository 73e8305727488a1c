import type { WorkingCalendar } from '../calendar/working-calendar';
import { replyLimitOf, type LimitName, type Limits } from '../deadlines/deadline-limits';
import type { WorkOrderStatus, Urgency, WarningLevel } from '../work-orders/work-order.enums';
import type { EscalationConfig } from './escalation.config';

/**
 * escalationStage on the order (this module gives it its meaning; transitions only reset it to 0 when a new
 * deadline starts): 0 nothing sent, 1 yellow reminder sent, 2 flagged overdue, 3 automatic supervision opened,
 * 4 and 5 the escalation levels (ESCALATION_LEVEL_WORKING_DAYS, default +3 and +5 working days overdue).
 */
export const STAGE = { none: 0, reminded: 1, overdue: 2, supervised: 3, firstEscalation: 4 } as const;

export const DEADLINE_NAMES = ['dispatchDueAt', 'acceptDueAt', 'contactDueAt', 'replyDueAt'] as const;
export type DeadlineName = (typeof DEADLINE_NAMES)[number];

/** The columns of an order the plan looks at (a plain object in unit tests, a row read by the tick otherwise). */
export interface EscalationFacts {
  status: WorkOrderStatus;
  urgency: Urgency;
  leadUnitId: number | null;
  createdAt: Date;
  dispatchedAt: Date | null;
  dispatchDueAt: Date | null;
  acceptDueAt: Date | null;
  contactDueAt: Date | null;
  replyDueAt: Date | null;
  replyClockStartedAt: Date | null;
  firstContactAt: Date | null;
  warningLevel: WarningLevel;
  escalationStage: number;
  /** Reopened orders run the reopen limit instead of the reply limit. */
  reopenCount: number;
  /**
   * The order's rules (deadline_rules): whether each limit counts office minutes or elapsed time. Without them
   * the seeded defaults are assumed (first contact in working time; the dispatch limit and every limit of urgent
   * and critical orders around the clock; the rest of normal orders in working time).
   */
  limits?: Limits;
}

const RULE_OF: Record<Exclude<DeadlineName, 'replyDueAt'>, LimitName> = { dispatchDueAt: 'dispatch', acceptDueAt: 'accept', contactDueAt: 'contact' };

/** Whether the limit behind a running deadline counts office minutes (true) or elapsed time. */
function countsWorkingTime(order: EscalationFacts, name: DeadlineName): boolean {
  if (order.limits) {
    const rule: LimitName = name === 'replyDueAt' ? replyLimitOf(order) : RULE_OF[name];
    return order.limits[rule].unit !== 'calendar_hours';
  }
  return name === 'contactDueAt' || (order.urgency === 'normal' && name !== 'dispatchDueAt');
}

export interface RunningDeadline {
  name: DeadlineName;
  startAt: Date;
  dueAt: Date;
  /** Working-time limits count office minutes; the others (urgent/critical orders, the center's dispatch limit) elapsed time. */
  working: boolean;
  yellowAt: Date;
}

export type EscalationStep =
  | { kind: 'remind'; deadline: DeadlineName; dueAt: Date }
  | { kind: 'overdue'; deadline: DeadlineName; dueAt: Date }
  | { kind: 'supervise'; overdueSince: Date; previousReplyDueAt: Date | null; replyDueAt: Date }
  | { kind: 'escalate'; level: number; overdueSince: Date; workingDaysOverdue: number };

export interface EscalationPlan {
  steps: EscalationStep[];
  warningLevel: WarningLevel;
  escalationStage: number;
  /** The next instant at which something can change; null when nothing more will happen on its own. */
  nextCheckAt: Date | null;
  /** Set when the automatic supervision moves the reply deadline. */
  replyDueAt?: Date;
}

/** The deadlines that run in the order's status (docs/lifecycle.md "Warnings and escalation"). */
export function runningDeadlines(order: EscalationFacts, calendar: WorkingCalendar, config: EscalationConfig): RunningDeadline[] {
  const found: { name: DeadlineName; startAt: Date | null; dueAt: Date | null }[] = [];
  const contactRuns = order.firstContactAt === null;
  switch (order.status) {
    case 'registered':
      found.push({ name: 'dispatchDueAt', startAt: order.createdAt, dueAt: order.dispatchDueAt });
      break;
    case 'dispatched':
      found.push({ name: 'acceptDueAt', startAt: order.dispatchedAt, dueAt: order.acceptDueAt });
      if (contactRuns) found.push({ name: 'contactDueAt', startAt: order.dispatchedAt, dueAt: order.contactDueAt });
      found.push({ name: 'replyDueAt', startAt: order.replyClockStartedAt ?? order.dispatchedAt, dueAt: order.replyDueAt });
      break;
    // 领导审签 (unit_review): the reply waits for the unit's leader, still inside the unit — its deadlines keep running.
    case 'processing':
    case 'unit_review':
      if (contactRuns) found.push({ name: 'contactDueAt', startAt: order.dispatchedAt, dueAt: order.contactDueAt });
      found.push({ name: 'replyDueAt', startAt: order.replyClockStartedAt ?? order.dispatchedAt, dueAt: order.replyDueAt });
      break;
    default:
      break;
  }
  return found
    .filter((d): d is { name: DeadlineName; startAt: Date | null; dueAt: Date } => d.dueAt !== null)
    .map(({ name, startAt, dueAt }) => {
      const working = countsWorkingTime(order, name);
      const start = startAt !== null && startAt < dueAt ? startAt : dueAt;
      return { name, startAt: start, dueAt, working, yellowAt: yellowInstant(start, dueAt, working, calendar, config) };
    });
}

/**
 * The instant a deadline turns yellow: when at most `yellowFraction` of its limit or at most `yellowHours` is left,
 * whichever comes first (the earlier instant). A limit no longer than the hours is yellow from its start.
 */
export function yellowInstant(
  startAt: Date,
  dueAt: Date,
  working: boolean,
  calendar: WorkingCalendar,
  config: Pick<EscalationConfig, 'yellowFraction' | 'yellowHours'>,
): Date {
  if (working) {
    const limit = Math.max(0, calendar.workingMinutesBetween(startAt, dueAt));
    const left = Math.max(limit * config.yellowFraction, config.yellowHours * 60);
    const at = calendar.addWorkingMinutes(startAt, Math.max(0, limit - left));
    return at > dueAt ? dueAt : at;
  }
  const limit = Math.max(0, dueAt.getTime() - startAt.getTime());
  const left = Math.max(limit * config.yellowFraction, config.yellowHours * 3_600_000);
  return new Date(startAt.getTime() + Math.max(0, limit - left));
}

export function levelAt(deadline: RunningDeadline, now: Date): WarningLevel {
  if (now >= deadline.dueAt) return 'red';
  if (now >= deadline.yellowAt) return 'yellow';
  return 'none';
}

/** The opening of the n-th working day after the local day of `instant` (lunch and evenings do not count as days). */
export function openingOfNthWorkingDayAfter(instant: Date, n: number, calendar: WorkingCalendar): Date {
  const DAY = 86_400_000;
  let at = instant;
  for (let i = 0; i < n; i++) {
    const local = calendar.timeZone.toLocalMs(at.getTime());
    const nextMidnight = (Math.floor(local / DAY) + 1) * DAY;
    at = calendar.nextOfficeMinute(new Date(calendar.timeZone.toUtcMs(nextMidnight)));
  }
  return at;
}

/**
 * What the scheduler does with one order at `now`: every step that is due, in order, and where the order stands
 * afterwards. Catching up after downtime is the same call with a later `now`: steps that no longer make sense are
 * skipped (no yellow reminder for an order already overdue), the others all happen at once.
 *
 * `overdueSince` is when the order became overdue, needed from stage 3 on (the automatic supervision has moved the
 * reply deadline): the caller reads it from the system's supervision event.
 */
export function planEscalation(
  order: EscalationFacts,
  now: Date,
  calendar: WorkingCalendar,
  config: EscalationConfig,
  overdueSince: Date | null,
): EscalationPlan {
  const running = runningDeadlines(order, calendar, config);
  const steps: EscalationStep[] = [];
  let stage = order.escalationStage;
  let warningLevel: WarningLevel;
  let since = overdueSince;
  let replyDueAt: Date | undefined;

  if (stage >= STAGE.supervised) {
    // Supervised by the system: the order stays red and follows the escalation ladder until it is replied
    // (no deadline runs any more) or a new deadline starts (the transition resets the stage).
    warningLevel = 'red';
  } else {
    const overdue = running.filter((d) => levelAt(d, now) === 'red').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const yellow = running.filter((d) => levelAt(d, now) === 'yellow').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    if (overdue.length > 0) {
      warningLevel = 'red';
      since = overdue[0].dueAt;
      if (stage < STAGE.overdue) {
        steps.push({ kind: 'overdue', deadline: overdue[0].name, dueAt: overdue[0].dueAt });
        stage = STAGE.overdue;
      }
    } else if (yellow.length > 0) {
      warningLevel = 'yellow';
      if (stage === STAGE.none) steps.push({ kind: 'remind', deadline: yellow[0].name, dueAt: yellow[0].dueAt });
      // From overdue back to yellow: the late deadline stopped running (e.g. accepted late); no second reminder.
      stage = STAGE.reminded;
    } else {
      warningLevel = 'none';
      stage = STAGE.none;
    }
  }

  // A unit handles the order only once it is dispatched: supervision and escalation are about that unit.
  const unitHandles = order.leadUnitId !== null && (order.status === 'dispatched' || order.status === 'processing' || order.status === 'unit_review');
  let nextCheckAt: Date | null = null;
  if (stage >= STAGE.overdue && since !== null && unitHandles) {
    if (stage === STAGE.overdue) {
      const supervisionAt = openingOfNthWorkingDayAfter(since, config.supervisionDelayWorkingDays, calendar);
      if (now >= supervisionAt) {
        // The supervision gives the unit a fresh reply deadline when the reply is late; when it is another
        // deadline that was missed (acceptance, first contact), it never pulls a later reply deadline earlier.
        const fresh = calendar.addWorkingDays(now, config.supervisionReplyWorkingDays);
        replyDueAt = order.replyDueAt !== null && order.replyDueAt > fresh ? order.replyDueAt : fresh;
        steps.push({ kind: 'supervise', overdueSince: since, previousReplyDueAt: order.replyDueAt, replyDueAt });
        stage = STAGE.supervised;
      } else nextCheckAt = supervisionAt;
    }
    for (let level = stage - STAGE.supervised; stage >= STAGE.supervised && level < config.escalationWorkingDays.length; level++) {
      const days = config.escalationWorkingDays[level];
      const escalateAt = calendar.addWorkingDays(since, days);
      if (now < escalateAt) {
        nextCheckAt = escalateAt;
        break;
      }
      steps.push({ kind: 'escalate', level: level + 1, overdueSince: since, workingDaysOverdue: days });
      stage = STAGE.firstEscalation + level;
    }
  } else if (stage < STAGE.overdue) {
    // The next yellow or red instant of a running deadline.
    for (const d of running) {
      for (const at of [d.yellowAt, d.dueAt]) {
        if (at > now && (nextCheckAt === null || at < nextCheckAt)) nextCheckAt = at;
      }
    }
  }
  return { steps, warningLevel, escalationStage: stage, nextCheckAt, ...(replyDueAt ? { replyDueAt } : {}) };
}

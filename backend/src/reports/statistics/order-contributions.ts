import { DAY_MS, formatLocalDate } from '../../calendar/local-date';
import type { TimeZone } from '../../calendar/time-zone';
import type { CallbackOutcome, Satisfaction, WarningLevel, WorkOrderStatus } from '../../work-orders/work-order.enums';
import { UNIT_DAY_METRICS, type UnitDayFigures, type UnitDayMetric } from './unit-day-stat.entity';

/**
 * What the daily statistics (unit_day_stats) count of ONE order, as a pure function of the order's current row:
 * docs/reports.md "Daily statistics". The statistics job, the rebuild and the nightly check all go through here;
 * the direct GROUP BY (direct-figures.ts) states the same conditions in SQL and must agree with it exactly.
 */

/** The columns of work_orders the statistics depend on (and nothing else). */
export interface StatOrderRow {
  id: number;
  status: WorkOrderStatus;
  leadUnitId: number | null;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  acceptLateMinutes: number | null;
  firstContactAt: Date | null;
  contactLateMinutes: number | null;
  repliedAt: Date | null;
  replyLateMinutes: number | null;
  replyDueAt: Date | null;
  warningLevel: WarningLevel;
  calledBackAt: Date | null;
  callbackOutcome: CallbackOutcome | null;
  resolved: boolean | null;
  satisfaction: Satisfaction | null;
  closedAt: Date | null;
  reopenCount: number;
  extensionApprovedMinutes: number;
  supervised: boolean;
  repeatOfId: number | null;
}

/** Statuses whose orders count nothing: folded into another (合并), withdrawn child orders, invalid calls. */
export const UNCOUNTED_STATUSES: readonly WorkOrderStatus[] = ['merged', 'cancelled', 'invalid'];
/** Callback outcomes that mean the callback reached the citizen and they answered (回访到达). */
export const REACHED_CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['resolved', 'unresolved', 'dissatisfied'];

/** One bit per yes/no the statistics read; a snapshot keeps them in one int (order_stat_facts.flags). */
export const STAT_FLAGS = {
  respondedInTime: 1 << 0,
  acceptedOnTime: 1 << 1,
  repliedOnTime: 1 << 2,
  resolvedAtCallback: 1 << 3,
  satisfied: 1 << 4,
  basicallySatisfied: 1 << 5,
  dissatisfied: 1 << 6,
  closedReopened: 1 << 7,
  closedCallbackRequired: 1 << 8,
  closedCalledBack: 1 << 9,
  extended: 1 << 10,
  supervised: 1 << 11,
  repeat: 1 << 12,
} as const;

/**
 * What an order counts, reduced to the unit, the instants that place each figure on a day (null: that figure is not
 * counted) and the yes/no flags. order_stat_facts stores exactly this per order, so the old contributions are the same
 * function of the stored snapshot.
 */
export interface StatSnapshot {
  unitId: number;
  dispatchedAt: Date;
  acceptedAt: Date | null;
  repliedAt: Date | null;
  /** replyDueAt of an order not replied and flagged overdue (null otherwise). */
  overdueDueAt: Date | null;
  /** calledBackAt of a callback that reached the citizen (null otherwise). */
  calledBackAt: Date | null;
  /** closedAt of an order that is closed now (null otherwise). */
  closedAt: Date | null;
  flags: number;
  /** Working minutes late of the reply (0 when on time or not replied). */
  replyLateMinutes: number;
}

const notLate = (minutes: number | null): boolean => minutes === null || minutes <= 0;

/** The order's snapshot, or null when it counts nothing (merged/cancelled/invalid, no lead unit, never dispatched). */
export function statSnapshotOf(order: StatOrderRow): StatSnapshot | null {
  if (UNCOUNTED_STATUSES.includes(order.status) || order.leadUnitId === null || order.dispatchedAt === null) return null;
  const reached = order.calledBackAt !== null && order.callbackOutcome !== null && REACHED_CALLBACK_OUTCOMES.includes(order.callbackOutcome);
  const closed = order.status === 'closed' && order.closedAt !== null;
  const overdue = order.repliedAt === null && order.warningLevel === 'red' && order.replyDueAt !== null;
  let flags = 0;
  const set = (flag: number, on: boolean) => {
    if (on) flags |= flag;
  };
  set(STAT_FLAGS.respondedInTime, order.acceptedAt !== null && notLate(order.acceptLateMinutes) && order.firstContactAt !== null && notLate(order.contactLateMinutes));
  set(STAT_FLAGS.acceptedOnTime, order.acceptedAt !== null && notLate(order.acceptLateMinutes));
  set(STAT_FLAGS.repliedOnTime, order.repliedAt !== null && notLate(order.replyLateMinutes));
  set(STAT_FLAGS.resolvedAtCallback, reached && order.resolved === true);
  set(STAT_FLAGS.satisfied, reached && order.satisfaction === 'satisfied');
  set(STAT_FLAGS.basicallySatisfied, reached && order.satisfaction === 'basically_satisfied');
  set(STAT_FLAGS.dissatisfied, reached && order.satisfaction === 'dissatisfied');
  set(STAT_FLAGS.closedReopened, closed && order.reopenCount > 0);
  set(STAT_FLAGS.closedCallbackRequired, closed && order.callbackOutcome !== null && order.callbackOutcome !== 'not_required');
  set(STAT_FLAGS.closedCalledBack, closed && reached);
  set(STAT_FLAGS.extended, order.extensionApprovedMinutes > 0);
  set(STAT_FLAGS.supervised, order.supervised);
  set(STAT_FLAGS.repeat, order.repeatOfId !== null);
  return {
    unitId: order.leadUnitId,
    dispatchedAt: order.dispatchedAt,
    acceptedAt: order.acceptedAt,
    repliedAt: order.repliedAt,
    overdueDueAt: overdue ? order.replyDueAt : null,
    calledBackAt: reached ? order.calledBackAt : null,
    closedAt: closed ? order.closedAt : null,
    flags,
    replyLateMinutes: order.repliedAt !== null && order.replyLateMinutes !== null && order.replyLateMinutes > 0 ? order.replyLateMinutes : 0,
  };
}

/** `<day>|<unitId>` → the figures the order adds to that row (only non-zero metrics present). */
export type Contributions = Map<string, Partial<UnitDayFigures>>;

export const contributionKey = (day: string, unitId: number): string => `${day}|${unitId}`;

export function parseContributionKey(key: string): { day: string; unitId: number } {
  const bar = key.indexOf('|');
  return { day: key.slice(0, bar), unitId: Number(key.slice(bar + 1)) };
}

/** Local dates by day number: formatting is the slow part of a rebuild over millions of orders. */
const dayNames = new Map<number, string>();
function localDay(instant: Date, zone: TimeZone): string {
  const dayNumber = Math.floor(zone.toLocalMs(instant.getTime()) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = formatLocalDate(dayNumber);
    if (dayNames.size > 100_000) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The (day, unit, metric, value) an order's snapshot contributes; null (counts nothing) contributes nothing. */
export function orderContributions(snapshot: StatSnapshot | null, zone: TimeZone): Contributions {
  const result: Contributions = new Map();
  if (snapshot === null) return result;
  const { unitId, flags } = snapshot;
  const has = (flag: number) => ((flags & flag) !== 0 ? 1 : 0);
  // Written out without intermediate objects: a rebuild runs this for millions of orders.
  const rowAt = (at: Date): Partial<UnitDayFigures> => {
    const key = contributionKey(localDay(at, zone), unitId);
    let row = result.get(key);
    if (row === undefined) {
      row = {};
      result.set(key, row);
    }
    return row;
  };
  const bump = (row: Partial<UnitDayFigures>, metric: UnitDayMetric, value: number) => {
    if (value !== 0) row[metric] = (row[metric] ?? 0) + value;
  };
  const dispatched = rowAt(snapshot.dispatchedAt);
  bump(dispatched, 'received', 1);
  bump(dispatched, 'respondedInTime', has(STAT_FLAGS.respondedInTime));
  bump(dispatched, 'extended', has(STAT_FLAGS.extended));
  bump(dispatched, 'supervised', has(STAT_FLAGS.supervised));
  bump(dispatched, 'repeats', has(STAT_FLAGS.repeat));
  if (snapshot.acceptedAt !== null) {
    const accepted = rowAt(snapshot.acceptedAt);
    bump(accepted, 'accepted', 1);
    bump(accepted, 'acceptedOnTime', has(STAT_FLAGS.acceptedOnTime));
  }
  if (snapshot.repliedAt !== null) {
    const replied = rowAt(snapshot.repliedAt);
    bump(replied, 'replied', 1);
    bump(replied, 'repliedOnTime', has(STAT_FLAGS.repliedOnTime));
    bump(replied, 'replyLateMinutes', snapshot.replyLateMinutes);
  }
  if (snapshot.overdueDueAt !== null) bump(rowAt(snapshot.overdueDueAt), 'overdueOpen', 1);
  if (snapshot.calledBackAt !== null) {
    const calledBack = rowAt(snapshot.calledBackAt);
    bump(calledBack, 'calledBack', 1);
    bump(calledBack, 'resolvedAtCallback', has(STAT_FLAGS.resolvedAtCallback));
    bump(calledBack, 'satisfied', has(STAT_FLAGS.satisfied));
    bump(calledBack, 'basicallySatisfied', has(STAT_FLAGS.basicallySatisfied));
    bump(calledBack, 'dissatisfied', has(STAT_FLAGS.dissatisfied));
  }
  if (snapshot.closedAt !== null) {
    const closed = rowAt(snapshot.closedAt);
    bump(closed, 'closed', 1);
    bump(closed, 'closedReopened', has(STAT_FLAGS.closedReopened));
    bump(closed, 'closedCallbackRequired', has(STAT_FLAGS.closedCallbackRequired));
    bump(closed, 'closedCalledBack', has(STAT_FLAGS.closedCalledBack));
  }
  return result;
}

/** Adds `sign` × the contributions into `into` (the deltas of a batch of orders). */
export function accumulate(into: Contributions, contributions: Contributions, sign: 1 | -1): void {
  for (const [key, figures] of contributions) {
    let row = into.get(key);
    if (row === undefined) {
      row = {};
      into.set(key, row);
    }
    for (const metric in figures) {
      const name = metric as UnitDayMetric;
      row[name] = (row[name] ?? 0) + sign * (figures[name] as number);
    }
  }
}

/** The rows of a delta that change something, in a fixed key order (day, then unit) so concurrent writers lock alike. */
export function nonZeroRows(delta: Contributions): { day: string; unitId: number; figures: UnitDayFigures }[] {
  const rows: { day: string; unitId: number; figures: UnitDayFigures }[] = [];
  for (const [key, partial] of delta) {
    if (!UNIT_DAY_METRICS.some((metric) => (partial[metric] ?? 0) !== 0)) continue;
    rows.push({ ...parseContributionKey(key), figures: completeFigures(partial) });
  }
  return rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.unitId - b.unitId));
}

export function completeFigures(partial: Partial<UnitDayFigures>): UnitDayFigures {
  const figures = {} as UnitDayFigures;
  for (const metric of UNIT_DAY_METRICS) figures[metric] = partial[metric] ?? 0;
  return figures;
}

export function zeroFigures(): UnitDayFigures {
  return completeFigures({});
}

/** Whether two snapshots are the same (then the order's contributions did not change). */
export function sameSnapshot(a: StatSnapshot | null, b: StatSnapshot | null): boolean {
  if (a === null || b === null) return a === b;
  const time = (d: Date | null) => (d === null ? null : d.getTime());
  return (
    a.unitId === b.unitId &&
    a.flags === b.flags &&
    a.replyLateMinutes === b.replyLateMinutes &&
    time(a.dispatchedAt) === time(b.dispatchedAt) &&
    time(a.acceptedAt) === time(b.acceptedAt) &&
    time(a.repliedAt) === time(b.repliedAt) &&
    time(a.overdueDueAt) === time(b.overdueDueAt) &&
    time(a.calledBackAt) === time(b.calledBackAt) &&
    time(a.closedAt) === time(b.closedAt)
  );
}

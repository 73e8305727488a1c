import { UNIT_DAY_METRICS, type UnitDayFigures, type UnitDayMetric } from './unit-day-stat.entity';
import { zeroFigures } from './order-contributions';
import { runSql, sqlNumber, type SqlRunner } from './sql-values';

/**
 * The same figures as unit_day_stats, computed straight from work_orders with one GROUP BY per time column over an
 * instant range [start, end). This is the reference: the nightly consistency check compares the statistics with it,
 * and bench:reports times the assessment against it. The conditions are those of order-contributions.ts
 * (statSnapshotOf / orderContributions), written in SQL — the two must agree exactly (the int-spec checks it).
 */

/** Whose orders: every unit (null) or these lead units. */
export type UnitFilter = number[] | null;

export interface InstantRange {
  start: Date;
  end: Date;
}

/** The orders that count at all (statSnapshotOf returns null for the others). */
const COUNTED = "wo.status NOT IN ('merged', 'cancelled', 'invalid') AND wo.leadUnitId IS NOT NULL AND wo.dispatchedAt IS NOT NULL";
const REACHED = "wo.calledBackAt IS NOT NULL AND wo.callbackOutcome IN ('resolved', 'unresolved', 'dissatisfied')";
const NOT_LATE = (column: string) => `(wo.${column} IS NULL OR wo.${column} <= 0)`;
const when = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

interface TimeGroup {
  /** The time that places these metrics on a day. */
  column: string;
  /** Further conditions for an order to count by this time at all. */
  where: string[];
  metrics: Partial<Record<UnitDayMetric, string>>;
}

/** One statement per time column: its metrics and the condition under which an order counts by that time. */
export const TIME_GROUPS: readonly TimeGroup[] = [
  {
    column: 'dispatchedAt',
    where: [],
    metrics: {
      received: 'COUNT(*)',
      respondedInTime: when(`wo.acceptedAt IS NOT NULL AND ${NOT_LATE('acceptLateMinutes')} AND wo.firstContactAt IS NOT NULL AND ${NOT_LATE('contactLateMinutes')}`),
      extended: when('wo.extensionApprovedMinutes > 0'),
      supervised: when('wo.supervised = 1'),
      repeats: when('wo.repeatOfId IS NOT NULL'),
    },
  },
  {
    column: 'acceptedAt',
    where: [],
    metrics: { accepted: 'COUNT(*)', acceptedOnTime: when(NOT_LATE('acceptLateMinutes')) },
  },
  {
    column: 'repliedAt',
    where: [],
    metrics: {
      replied: 'COUNT(*)',
      repliedOnTime: when(NOT_LATE('replyLateMinutes')),
      replyLateMinutes: 'SUM(CASE WHEN wo.replyLateMinutes > 0 THEN wo.replyLateMinutes ELSE 0 END)',
    },
  },
  {
    column: 'replyDueAt',
    where: ['wo.repliedAt IS NULL', "wo.warningLevel = 'red'"],
    metrics: { overdueOpen: 'COUNT(*)' },
  },
  {
    column: 'calledBackAt',
    where: [REACHED],
    metrics: {
      calledBack: 'COUNT(*)',
      resolvedAtCallback: when('wo.resolved = 1'),
      satisfied: when("wo.satisfaction = 'satisfied'"),
      basicallySatisfied: when("wo.satisfaction = 'basically_satisfied'"),
      dissatisfied: when("wo.satisfaction = 'dissatisfied'"),
    },
  },
  {
    column: 'closedAt',
    where: ["wo.status = 'closed'"],
    metrics: {
      closed: 'COUNT(*)',
      closedReopened: when('wo.reopenCount > 0'),
      closedCallbackRequired: when("wo.callbackOutcome IS NOT NULL AND wo.callbackOutcome <> 'not_required'"),
      closedCalledBack: when(REACHED),
    },
  },
];

// Every metric is computed by exactly one statement.
const covered = TIME_GROUPS.flatMap((group) => Object.keys(group.metrics));
if (covered.length !== UNIT_DAY_METRICS.length || UNIT_DAY_METRICS.some((metric) => !covered.includes(metric))) {
  throw new Error('direct-figures: TIME_GROUPS must compute every UNIT_DAY_METRICS column once');
}

/** Per lead unit: the figures of the orders whose times fall in the range (each metric by its own time). */
export async function directFiguresByUnit(runner: SqlRunner, range: InstantRange, units: UnitFilter): Promise<Map<number, UnitDayFigures>> {
  const result = new Map<number, UnitDayFigures>();
  if (units !== null && units.length === 0) return result;
  for (const group of TIME_GROUPS) {
    const metrics = Object.entries(group.metrics) as [UnitDayMetric, string][];
    const where = [`wo.${group.column} >= :start`, `wo.${group.column} < :end`, COUNTED, ...group.where, ...(units === null ? [] : ['wo.leadUnitId IN (:...units)'])];
    const rows = await runSql<Record<string, unknown>>(
      runner,
      `SELECT wo.leadUnitId AS unitId, ${metrics.map(([metric, sql]) => `${sql} AS ${metric}`).join(', ')} FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.leadUnitId`,
      { start: range.start, end: range.end, units },
    );
    for (const row of rows) {
      const unitId = Number(row.unitId);
      const figures = result.get(unitId) ?? zeroFigures();
      for (const [metric] of metrics) figures[metric] += sqlNumber(row[metric]);
      result.set(unitId, figures);
    }
  }
  return result;
}

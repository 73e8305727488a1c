import type { AssessmentFigures, AssessmentWeights } from '../report-views';
import type { UnitDayFigures } from '../statistics/unit-day-stat.entity';

/**
 * 考核 formulas (docs/reports.md "Assessment formulas"): pure functions from a unit's summed daily statistics, its
 * returns and shirking flags to the figures of the assessment. Rates are fractions 0…1, null when the denominator is
 * 0 ("no data", never 0 %); the score is points 0…100.
 */

/** What the assessment adds to the daily statistics: returns (退单) and shirking flags (推诿扯皮) of the period. */
export interface UnitExtras {
  returns: number;
  returnsApproved: number;
  shirkingFlags: number;
}

export const NO_EXTRAS: UnitExtras = { returns: 0, returnsApproved: 0, shirkingFlags: 0 };

/** numerator ÷ denominator, null when the denominator is 0. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** (satisfied + weight × basically satisfied) ÷ called back. */
export function satisfactionRate(satisfied: number, basicallySatisfied: number, calledBack: number, basicallySatisfiedWeight: number): number | null {
  return rate(satisfied + basicallySatisfiedWeight * basicallySatisfied, calledBack);
}

/**
 * 三率 composite: Σ wᵢ·rateᵢ ÷ Σ wᵢ × 100, rounded to 2 decimals. Null when any of the three rates is null (a unit
 * with no callbacks in the period cannot be compared with one that has them), or when every weight is 0.
 */
export function compositeScore(rates: { response: number | null; resolution: number | null; satisfaction: number | null }, weights: Pick<AssessmentWeights, 'response' | 'resolution' | 'satisfaction'>): number | null {
  if (rates.response === null || rates.resolution === null || rates.satisfaction === null) return null;
  const total = weights.response + weights.resolution + weights.satisfaction;
  if (total <= 0) return null;
  const weighted = weights.response * rates.response + weights.resolution * rates.resolution + weights.satisfaction * rates.satisfaction;
  return Math.round((weighted / total) * 100 * 100) / 100;
}

/** Working days from working minutes (a standard day's office minutes), one decimal. */
export function workingDays(minutes: number, minutesPerWorkingDay: number): number {
  if (minutesPerWorkingDay <= 0 || minutes <= 0) return 0;
  return Math.round((minutes / minutesPerWorkingDay) * 10) / 10;
}

/** The assessment figures of one unit (or a subtree, or a scope) from its summed statistics. */
export function assessmentFigures(stats: UnitDayFigures, extras: UnitExtras, weights: AssessmentWeights, minutesPerWorkingDay: number): AssessmentFigures {
  const responseRate = rate(stats.respondedInTime, stats.received);
  const resolutionRate = rate(stats.resolvedAtCallback, stats.calledBack);
  const satisfaction = satisfactionRate(stats.satisfied, stats.basicallySatisfied, stats.calledBack, weights.basicallySatisfied);
  return {
    received: stats.received,
    respondedInTime: stats.respondedInTime,
    responseRate,
    accepted: stats.accepted,
    acceptedOnTime: stats.acceptedOnTime,
    acceptedOnTimeRate: rate(stats.acceptedOnTime, stats.accepted),
    calledBack: stats.calledBack,
    resolvedAtCallback: stats.resolvedAtCallback,
    resolutionRate,
    satisfied: stats.satisfied,
    basicallySatisfied: stats.basicallySatisfied,
    dissatisfied: stats.dissatisfied,
    satisfactionRate: satisfaction,
    score: compositeScore({ response: responseRate, resolution: resolutionRate, satisfaction }, weights),
    replied: stats.replied,
    repliedOnTime: stats.repliedOnTime,
    onTimeCompletionRate: rate(stats.repliedOnTime, stats.replied),
    overdue: stats.replied - stats.repliedOnTime + stats.overdueOpen,
    overdueWorkingDays: workingDays(stats.replyLateMinutes, minutesPerWorkingDay),
    returns: extras.returns,
    returnsApproved: extras.returnsApproved,
    returnRate: rate(extras.returns, stats.received + extras.returnsApproved),
    closed: stats.closed,
    reopened: stats.closedReopened,
    reopenRate: rate(stats.closedReopened, stats.closed),
    repeats: stats.repeats,
    extensions: stats.extended,
    supervisions: stats.supervised,
    shirkingFlags: extras.shirkingFlags,
    closedCallbackRequired: stats.closedCallbackRequired,
    closedCalledBack: stats.closedCalledBack,
    callbackCoverage: rate(stats.closedCalledBack, stats.closedCallbackRequired),
  };
}

/** Adds b into a (the roll-up of a subtree). */
export function addFigures(a: UnitDayFigures, b: UnitDayFigures): void {
  for (const key of Object.keys(b) as (keyof UnitDayFigures)[]) a[key] += b[key];
}

export function addExtras(a: UnitExtras, b: UnitExtras): UnitExtras {
  return { returns: a.returns + b.returns, returnsApproved: a.returnsApproved + b.returnsApproved, shirkingFlags: a.shirkingFlags + b.shirkingFlags };
}

export interface RankCandidate {
  unitId: number;
  unitType: string;
  unitName: string;
  score: number | null;
  received: number;
}

/**
 * Ranks by score among the units of the same type (1 = best): higher score first; a tie goes to the unit that
 * received more orders, then by name. Units without a score get no rank. Returns unitId → rank.
 */
export function rankByType(candidates: readonly RankCandidate[]): Map<number, number> {
  const ranks = new Map<number, number>();
  const byType = new Map<string, RankCandidate[]>();
  for (const candidate of candidates) {
    if (candidate.score === null) continue;
    const list = byType.get(candidate.unitType) ?? [];
    list.push(candidate);
    byType.set(candidate.unitType, list);
  }
  for (const list of byType.values()) {
    list.sort((a, b) => (b.score as number) - (a.score as number) || b.received - a.received || a.unitName.localeCompare(b.unitName, 'zh-CN') || a.unitId - b.unitId);
    list.forEach((candidate, index) => ranks.set(candidate.unitId, index + 1));
  }
  return ranks;
}

import { completeFigures } from '../statistics/order-contributions';
import { assessmentFigures, compositeScore, rankByType, rate, satisfactionRate, workingDays } from './assessment-formulas';

const WEIGHTS = { response: 30, resolution: 35, satisfaction: 35, basicallySatisfied: 0.8 };
/** 08:30–12:00 and 13:30–18:00 = 210 + 270 = 480 office minutes a day. */
const DAY_MINUTES = 480;

describe('assessment formulas (hand-computed)', () => {
  it('computes every figure of a unit from its summed statistics', () => {
    const stats = completeFigures({
      received: 10,
      respondedInTime: 8,
      accepted: 9,
      acceptedOnTime: 6,
      replied: 7,
      repliedOnTime: 5,
      replyLateMinutes: 1200,
      overdueOpen: 2,
      calledBack: 5,
      resolvedAtCallback: 4,
      satisfied: 3,
      basicallySatisfied: 1,
      dissatisfied: 1,
      closed: 5,
      closedReopened: 1,
      closedCallbackRequired: 4,
      closedCalledBack: 3,
      extended: 2,
      supervised: 1,
      repeats: 3,
    });
    const figures = assessmentFigures(stats, { returns: 3, returnsApproved: 2, shirkingFlags: 4 }, WEIGHTS, DAY_MINUTES);
    expect(figures).toEqual({
      received: 10,
      respondedInTime: 8,
      responseRate: 0.8, // 8 ÷ 10
      accepted: 9,
      acceptedOnTime: 6,
      acceptedOnTimeRate: 6 / 9, // 0.666…
      calledBack: 5,
      resolvedAtCallback: 4,
      resolutionRate: 0.8, // 4 ÷ 5
      satisfied: 3,
      basicallySatisfied: 1,
      dissatisfied: 1,
      satisfactionRate: expect.closeTo(0.76, 12), // (3 + 0.8 × 1) ÷ 5 = 3.8 ÷ 5
      score: 78.6, // (30 × 0.8 + 35 × 0.8 + 35 × 0.76) ÷ 100 × 100 = 24 + 28 + 26.6
      replied: 7,
      repliedOnTime: 5,
      onTimeCompletionRate: 5 / 7,
      overdue: 4, // (7 − 5) late replies + 2 still open and overdue
      overdueWorkingDays: 2.5, // 1200 ÷ 480
      returns: 3,
      returnsApproved: 2,
      returnRate: 0.25, // 3 ÷ (10 + 2)
      closed: 5,
      reopened: 1,
      reopenRate: 0.2, // 1 ÷ 5
      repeats: 3,
      extensions: 2,
      supervisions: 1,
      shirkingFlags: 4,
      closedCallbackRequired: 4,
      closedCalledBack: 3,
      callbackCoverage: 0.75, // 3 ÷ 4
    });
  });

  it('gives null rates, not 0 %, when a denominator is 0 — and then no score', () => {
    const figures = assessmentFigures(completeFigures({ received: 2, respondedInTime: 1 }), { returns: 0, returnsApproved: 0, shirkingFlags: 0 }, WEIGHTS, DAY_MINUTES);
    expect(figures.responseRate).toBe(0.5);
    expect(figures.resolutionRate).toBeNull();
    expect(figures.satisfactionRate).toBeNull();
    expect(figures.score).toBeNull();
    expect(figures.acceptedOnTimeRate).toBeNull();
    expect(figures.onTimeCompletionRate).toBeNull();
    expect(figures.reopenRate).toBeNull();
    expect(figures.callbackCoverage).toBeNull();
    expect(figures.returnRate).toBe(0); // 0 ÷ (2 + 0)
    expect(figures.overdueWorkingDays).toBe(0);
    expect(rate(0, 0)).toBeNull();
  });

  it('weights the three rates by their shares of the sum of the weights', () => {
    // weights 1, 1, 2 (shares ¼, ¼, ½): 0.5 × ¼ + 1 × ¼ + 0.25 × ½ = 0.125 + 0.25 + 0.125 = 0.5 → 50 points
    expect(compositeScore({ response: 0.5, resolution: 1, satisfaction: 0.25 }, { response: 1, resolution: 1, satisfaction: 2 })).toBe(50);
    // 30/35/35 on 1, 0.9, 0.7: 30 + 31.5 + 24.5 = 86
    expect(compositeScore({ response: 1, resolution: 0.9, satisfaction: 0.7 }, WEIGHTS)).toBe(86);
    // Only satisfaction weighted: the score is the satisfaction rate. 2 ÷ 3 = 66.666… → 66.67
    expect(compositeScore({ response: 0, resolution: 0, satisfaction: 2 / 3 }, { response: 0, resolution: 0, satisfaction: 5 })).toBe(66.67);
    expect(compositeScore({ response: 1, resolution: 1, satisfaction: 1 }, { response: 0, resolution: 0, satisfaction: 0 })).toBeNull();
  });

  it('counts a basically satisfied answer at its weight', () => {
    // (1 + 0.5 × 2) ÷ 4 = 0.5
    expect(satisfactionRate(1, 2, 4, 0.5)).toBe(0.5);
    // weight 0: only 满意 counts; 1 ÷ 4
    expect(satisfactionRate(1, 2, 4, 0)).toBe(0.25);
  });

  it('turns working minutes into working days with one decimal', () => {
    expect(workingDays(100, 480)).toBe(0.2); // 0.2083…
    expect(workingDays(1439, 480)).toBe(3); // 2.9979…
    expect(workingDays(720, 480)).toBe(1.5);
    expect(workingDays(0, 480)).toBe(0);
  });

  it('ranks by score within a unit type: ties to more received, then the name; no score, no rank', () => {
    const ranks = rankByType([
      { unitId: 1, unitType: 'district', unitName: '甲区', score: 80, received: 10 },
      { unitId: 2, unitType: 'district', unitName: '乙区', score: 80, received: 12 },
      { unitId: 3, unitType: 'district', unitName: '丙区', score: 90, received: 1 },
      { unitId: 4, unitType: 'street', unitName: '某街道', score: null, received: 5 },
      { unitId: 5, unitType: 'street', unitName: '另一街道', score: 50, received: 5 },
      { unitId: 6, unitType: 'bureau', unitName: 'B局', score: 70, received: 3 },
      { unitId: 7, unitType: 'bureau', unitName: 'A局', score: 70, received: 3 },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ 3: 1, 2: 2, 1: 3, 5: 1, 7: 1, 6: 2 });
  });
});

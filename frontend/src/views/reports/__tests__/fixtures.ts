import type { AssessmentFigures, AssessmentReport, AssessmentRow, BulletinView, CallsReport } from '@/api/reports';

/** Every figure zero/null, for rows that only need a few set. */
export function figures(overrides: Partial<AssessmentFigures> = {}): AssessmentFigures {
  return {
    received: 0,
    respondedInTime: 0,
    responseRate: null,
    accepted: 0,
    acceptedOnTime: 0,
    acceptedOnTimeRate: null,
    calledBack: 0,
    resolvedAtCallback: 0,
    resolutionRate: null,
    satisfied: 0,
    basicallySatisfied: 0,
    dissatisfied: 0,
    satisfactionRate: null,
    score: null,
    replied: 0,
    repliedOnTime: 0,
    onTimeCompletionRate: null,
    overdue: 0,
    overdueWorkingDays: 0,
    returns: 0,
    returnsApproved: 0,
    returnRate: null,
    closed: 0,
    reopened: 0,
    reopenRate: null,
    repeats: 0,
    extensions: 0,
    supervisions: 0,
    shirkingFlags: 0,
    closedCallbackRequired: 0,
    closedCalledBack: 0,
    callbackCoverage: null,
    ...overrides,
  };
}

function row(unit: Pick<AssessmentRow, 'unitId' | 'unitName' | 'unitType' | 'parentId' | 'depth'>, values: Partial<AssessmentRow>): AssessmentRow {
  return { ...unit, ...figures(values), rank: null, previousScore: null, previousRank: null, rankChange: null, ...values };
}

/** The center's November: 东城区 (with its two streets) and 城管局, ranked by score within their type. */
export function assessmentFixture(): AssessmentReport {
  return {
    period: { from: '2026-11-01', to: '2026-11-30' },
    previousPeriod: { from: '2026-10-01', to: '2026-10-31' },
    weights: { response: 30, resolution: 35, satisfaction: 35, basicallySatisfied: 0.8 },
    scopeUnitId: null,
    totals: figures({ received: 20, responseRate: 0.9, resolutionRate: 0.75, satisfactionRate: 0.8, score: 81.25, overdue: 2, returnRate: 0.1, callbackCoverage: 1 }),
    rows: [
      row({ unitId: 10, unitName: '东城区人民政府', unitType: 'district', parentId: 1, depth: 0 }, { received: 12, responseRate: 0.9, resolutionRate: 0.8, satisfactionRate: 0.85, score: 84.5, rank: 1, previousRank: 2, rankChange: 1, overdue: 1 }),
      row({ unitId: 11, unitName: '朝阳街道办事处', unitType: 'street', parentId: 10, depth: 1 }, { received: 7, responseRate: 1, resolutionRate: 1, satisfactionRate: 1, score: 100, rank: 1, previousRank: 1, rankChange: 0 }),
      row({ unitId: 12, unitName: '东关街道办事处', unitType: 'street', parentId: 10, depth: 1 }, { received: 5, responseRate: 0.8, resolutionRate: 0.5, satisfactionRate: 0.6, score: 62.5, rank: 2, previousRank: 1, rankChange: -1, overdue: 1 }),
      row({ unitId: 20, unitName: '云川市城市管理局', unitType: 'bureau', parentId: 1, depth: 0 }, { received: 8, responseRate: 0.875, score: null, rank: null, overdue: 1 }),
    ],
    generatedAt: '2026-12-02T08:00:00.000Z',
  };
}

export function callsWithoutData(): CallsReport {
  return { period: { from: '2026-11-01', to: '2026-11-30' }, dataAvailable: false, totals: null, byDay: [], generatedAt: '2026-12-02T08:00:00.000Z' };
}

export function bulletin(overrides: Partial<BulletinView> = {}): BulletinView {
  return {
    id: 3,
    month: '2026-10',
    status: 'ready',
    trigger: 'schedule',
    generatedAt: '2026-11-02T01:00:00.000Z',
    sizeBytes: 245_760,
    downloadUrl: '/api/reports/bulletins/3/download',
    error: null,
    ...overrides,
  };
}

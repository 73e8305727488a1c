import type {
  AssessmentFigures,
  AssessmentReport,
  AssessmentRow,
  CallsReport,
  OverdueReport,
  RepeatsReport,
  ShirkingReport,
  VolumeSummary,
} from '../report-views';

/**
 * Hand-made reports for the renderers' tests and the sample bulletin (November 2026, a small city): the figures are
 * consistent with each other where a test reads them (rates = their counts' quotients, totals = the top rows).
 */
export const FIXTURE_PERIOD = { from: '2026-11-01', to: '2026-11-30' };
const PREVIOUS_PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const GENERATED_AT = '2026-12-01T22:00:00.000Z';

function figures(received: number, overrides: Partial<AssessmentFigures> = {}): AssessmentFigures {
  const respondedInTime = Math.round(received * 0.9);
  const calledBack = Math.round(received * 0.6);
  const resolvedAtCallback = Math.round(calledBack * 0.8);
  const satisfied = Math.round(calledBack * 0.7);
  const basicallySatisfied = Math.round(calledBack * 0.2);
  const base: AssessmentFigures = {
    received,
    respondedInTime,
    responseRate: received ? respondedInTime / received : null,
    accepted: received,
    acceptedOnTime: Math.round(received * 0.95),
    acceptedOnTimeRate: received ? Math.round(received * 0.95) / received : null,
    calledBack,
    resolvedAtCallback,
    resolutionRate: calledBack ? resolvedAtCallback / calledBack : null,
    satisfied,
    basicallySatisfied,
    dissatisfied: calledBack - satisfied - basicallySatisfied,
    satisfactionRate: calledBack ? (satisfied + 0.8 * basicallySatisfied) / calledBack : null,
    score: 85,
    replied: received,
    repliedOnTime: received - 2,
    onTimeCompletionRate: received ? (received - 2) / received : null,
    overdue: 2,
    overdueWorkingDays: 3.5,
    returns: 3,
    returnsApproved: 1,
    returnRate: 3 / (received + 1),
    closed: received,
    reopened: 1,
    reopenRate: received ? 1 / received : null,
    repeats: 2,
    extensions: 1,
    supervisions: 1,
    shirkingFlags: 1,
    closedCallbackRequired: received,
    closedCalledBack: calledBack,
    callbackCoverage: received ? calledBack / received : null,
  };
  return { ...base, ...overrides };
}

function row(
  unitId: number,
  unitName: string,
  unitType: string,
  parentId: number | null,
  depth: number,
  received: number,
  ranking: { score: number | null; rank: number | null; previousScore: number | null; previousRank: number | null },
  overrides: Partial<AssessmentFigures> = {},
): AssessmentRow {
  const rankChange = ranking.rank !== null && ranking.previousRank !== null ? ranking.previousRank - ranking.rank : null;
  return { unitId, unitName, unitType, parentId, depth, ...figures(received, { score: ranking.score, ...overrides }), ...ranking, rankChange };
}

export function assessmentFixture(): AssessmentReport {
  return {
    period: FIXTURE_PERIOD,
    previousPeriod: PREVIOUS_PERIOD,
    weights: { response: 30, resolution: 35, satisfaction: 35, basicallySatisfied: 0.8 },
    scopeUnitId: null,
    totals: figures(1000, { score: 84.2, overdue: 14, overdueWorkingDays: 23.5, returns: 21 }),
    rows: [
      row(2, '东城区', 'district', 1, 0, 420, { score: 87.5, rank: 1, previousScore: 83.1, previousRank: 2 }),
      row(21, '朝阳街道', 'street', 2, 1, 250, { score: 88.25, rank: 1, previousScore: 88, previousRank: 1 }),
      row(211, '和平社区', 'community', 21, 2, 120, { score: 90.1, rank: 1, previousScore: null, previousRank: null }),
      row(22, '建国街道', 'street', 2, 1, 170, { score: 79.4, rank: 2, previousScore: 81, previousRank: 2 }),
      row(3, '西城区', 'district', 1, 0, 380, { score: 82.75, rank: 2, previousScore: 86.4, previousRank: 1 }),
      row(4, '市城管局', 'bureau', 1, 0, 150, { score: 91.3, rank: 1, previousScore: 90.2, previousRank: 1 }),
      row(5, '市住建委', 'bureau', 1, 0, 50, { score: 76, rank: 2, previousScore: 74.5, previousRank: 2 }),
      row(6, '市自来水公司', 'utility', 1, 0, 0, { score: null, rank: null, previousScore: null, previousRank: null }),
    ],
    generatedAt: GENERATED_AT,
  };
}

export function overdueFixture(): OverdueReport {
  return {
    period: FIXTURE_PERIOD,
    scopeUnitId: null,
    units: [
      { unitId: 2, unitName: '东城区', unitType: 'district', parentId: 1, depth: 0, open: 3, late: 5, workingDaysLate: 9.5, supervised: 2 },
      { unitId: 21, unitName: '朝阳街道', unitType: 'street', parentId: 2, depth: 1, open: 2, late: 1, workingDaysLate: 4, supervised: 1 },
      { unitId: 3, unitName: '西城区', unitType: 'district', parentId: 1, depth: 0, open: 1, late: 4, workingDaysLate: 6.5, supervised: 1 },
      { unitId: 4, unitName: '市城管局', unitType: 'bureau', parentId: 1, depth: 0, open: 0, late: 1, workingDaysLate: 0.5, supervised: 0 },
    ],
    orders: [
      {
        workOrderId: 101,
        number: 'GD202611030001',
        title: '小区门口路灯长期不亮',
        leadUnitId: 21,
        leadUnitName: '朝阳街道',
        status: 'processing',
        replyDueAt: '2026-11-10T09:30:00.000Z',
        repliedAt: null,
        kind: 'open',
        workingDaysLate: 14,
        supervised: true,
        supervisionOutcome: 'open',
      },
      {
        workOrderId: 102,
        number: 'GD202611050002',
        title: '菜市场周边占道经营',
        leadUnitId: 3,
        leadUnitName: '西城区',
        status: 'closed',
        replyDueAt: '2026-11-12T09:30:00.000Z',
        repliedAt: '2026-11-16T02:00:00.000Z',
        kind: 'late',
        workingDaysLate: 2.5,
        supervised: true,
        supervisionOutcome: 'replied',
      },
      {
        workOrderId: 103,
        number: 'GD202611200003',
        title: '供暖温度不达标',
        leadUnitId: 4,
        leadUnitName: '市城管局',
        status: 'reply_review',
        replyDueAt: '2026-11-25T09:30:00.000Z',
        repliedAt: '2026-11-25T14:00:00.000Z',
        kind: 'late',
        workingDaysLate: 0.5,
        supervised: false,
        supervisionOutcome: null,
      },
    ],
    truncated: false,
    generatedAt: GENERATED_AT,
  };
}

export function shirkingFixture(): ShirkingReport {
  return {
    period: FIXTURE_PERIOD,
    scopeUnitId: null,
    units: [
      { unitId: 5, unitName: '市住建委', unitType: 'bureau', parentId: 1, depth: 0, received: 50, returns: 8, returnsApproved: 3, returnsRejected: 5, returnRate: 8 / 53, flags: 3, failedCallbacks: 2 },
      { unitId: 3, unitName: '西城区', unitType: 'district', parentId: 1, depth: 0, received: 380, returns: 9, returnsApproved: 4, returnsRejected: 5, returnRate: 9 / 384, flags: 2, failedCallbacks: 6 },
      { unitId: 4, unitName: '市城管局', unitType: 'bureau', parentId: 1, depth: 0, received: 150, returns: 1, returnsApproved: 0, returnsRejected: 1, returnRate: 1 / 150, flags: 0, failedCallbacks: 1 },
    ],
    flagsByRule: [
      { rule: 'returned', count: 4, resolved: 2 },
      { rule: 'bounced', count: 2, resolved: 1 },
      { rule: 'callback-failed', count: 3, resolved: 0 },
    ],
    disputes: { raised: 3, ruled: 2 },
    mostReturned: [
      { workOrderId: 201, number: 'GD202611080011', title: '楼道堆物占用消防通道', returns: 3, units: ['市住建委', '西城区'] },
      { workOrderId: 202, number: 'GD202611140007', title: '河道漂浮垃圾', returns: 2, units: ['西城区', '市城管局'] },
    ],
    generatedAt: GENERATED_AT,
  };
}

export function repeatsFixture(): RepeatsReport {
  return {
    period: FIXTURE_PERIOD,
    scopeUnitId: null,
    units: [
      { unitId: 2, unitName: '东城区', unitType: 'district', parentId: 1, depth: 0, received: 420, repeats: 12, repeatRate: 12 / 420 },
      { unitId: 3, unitName: '西城区', unitType: 'district', parentId: 1, depth: 0, received: 380, repeats: 9, repeatRate: 9 / 380 },
      { unitId: 6, unitName: '市自来水公司', unitType: 'utility', parentId: 1, depth: 0, received: 0, repeats: 0, repeatRate: null },
    ],
    totals: { orders: 1000, repeats: 25, repeatRate: 0.025 },
    hotspots: [
      {
        hotspotId: 1,
        title: '建国路施工夜间噪音扰民',
        address: '东城区建国路88号',
        memberCount: 17,
        callerCount: 15,
        firstAt: '2026-11-02T13:20:00.000Z',
        lastAt: '2026-11-28T15:05:00.000Z',
        districtUnitId: 2,
      },
      { hotspotId: 2, title: '公交站台积水', address: '西城区复兴门外大街', memberCount: 6, callerCount: 6, firstAt: '2026-11-11T01:00:00.000Z', lastAt: '2026-11-12T03:00:00.000Z', districtUnitId: 3 },
    ],
    generatedAt: GENERATED_AT,
  };
}

export function callsFixture(dataAvailable = true): CallsReport {
  if (!dataAvailable) return { period: FIXTURE_PERIOD, dataAvailable: false, totals: null, byDay: [], generatedAt: GENERATED_AT };
  return {
    period: FIXTURE_PERIOD,
    dataAvailable: true,
    totals: { calls: 1200, answered: 1100, answeredWithin15s: 990, abandoned: 100, answerRate: 1100 / 1200, within15sRate: 990 / 1100 },
    byDay: [
      { day: '2026-11-01', calls: 600, answered: 560, abandoned: 40 },
      { day: '2026-11-02', calls: 600, answered: 540, abandoned: 60 },
    ],
    generatedAt: GENERATED_AT,
  };
}

export function volumeFixture(): VolumeSummary {
  return {
    period: FIXTURE_PERIOD,
    total: 1000,
    byChannel: [
      { channel: 'phone', count: 640 },
      { channel: 'wechat', count: 180 },
      { channel: 'web', count: 90 },
      { channel: 'app', count: 60 },
      { channel: 'partner_hotline', count: 30 },
    ],
    byRequestType: [
      { requestType: 'complaint', count: 380 },
      { requestType: 'help', count: 260 },
      { requestType: 'consultation', count: 220 },
      { requestType: 'suggestion', count: 80 },
      { requestType: 'report', count: 40 },
      { requestType: 'praise', count: 20 },
    ],
  };
}

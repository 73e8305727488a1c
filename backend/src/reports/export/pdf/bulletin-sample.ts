import type { AssessmentFigures, AssessmentRow, OverdueOrderRow, OverdueUnitRow, ShirkingUnitRow } from '../../report-views';
import { FIXTURE_PERIOD, assessmentFixture, callsFixture, overdueFixture, repeatsFixture, shirkingFixture, volumeFixture } from '../report-fixtures';
import type { BulletinData } from './bulletin-document';

/** The small hand-made bulletin of the fixtures (every section, a few rows each). */
export function smallBulletinData(options: { callsAvailable?: boolean } = {}): BulletinData {
  return {
    centerName: '示范市12345市民服务热线中心',
    period: FIXTURE_PERIOD,
    generatedAt: '2026-12-01T22:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    assessment: assessmentFixture(),
    volume: volumeFixture(),
    overdue: overdueFixture(),
    shirking: shirkingFixture(),
    repeats: repeatsFixture(),
    calls: callsFixture(options.callsAvailable ?? false),
  };
}

const DISTRICTS = ['东城区', '西城区', '朝阳区', '海淀区', '丰台区', '石景山区', '门头沟区', '房山区', '通州区', '顺义区', '昌平区', '大兴区', '怀柔区', '平谷区', '密云区', '延庆区'];
const BUREAUS = ['市城管委', '市住建委', '市交通委', '市生态环境局', '市市场监管局', '市人力社保局', '市卫健委', '市教委', '市水务局', '市园林绿化局', '市民政局', '市公安局交管局'];
const UTILITIES = ['市自来水集团', '市燃气集团', '市热力集团', '国网市电力公司'];
const STREETS = ['东华门街道', '景山街道', '交道口街道', '安定门街道', '北新桥街道', '东四街道', '朝阳门街道', '建国门街道', '东直门街道', '和平里街道'];

/**
 * A city-sized bulletin (16 districts, 12 bureaus, 4 utilities, a district's streets; 25 overdue orders …) with
 * figures that vary deterministically: for the page-break tests and for looking at the rendered pages.
 */
export function realisticBulletinData(): BulletinData {
  const data = smallBulletinData({ callsAvailable: true });
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const template = data.assessment.rows[0];
  const rows: AssessmentRow[] = [];
  const addUnit = (unitId: number, unitName: string, unitType: string, parentId: number, depth: number, received: number) => {
    const responseRate = 0.82 + next() * 0.17;
    const resolutionRate = 0.6 + next() * 0.35;
    const satisfactionRate = 0.7 + next() * 0.28;
    const scoreValue = Math.round((responseRate * 30 + resolutionRate * 35 + satisfactionRate * 35) * 100) / 100;
    const figures: Partial<AssessmentFigures> = {
      received,
      responseRate,
      resolutionRate,
      satisfactionRate,
      score: scoreValue,
      overdue: Math.floor(next() * 12),
      overdueWorkingDays: Math.round(next() * 300) / 10,
      returns: Math.floor(next() * 20),
      returnRate: next() * 0.08,
      repeats: Math.floor(next() * 30),
    };
    rows.push({ ...template, unitId, unitName, unitType, parentId, depth, ...figures, rank: null, previousRank: null, previousScore: scoreValue - 3 + next() * 6, rankChange: null });
  };
  DISTRICTS.forEach((name, index) => addUnit(100 + index, name, 'district', 1, 0, 1500 + Math.floor(next() * 4000)));
  STREETS.forEach((name, index) => addUnit(1000 + index, name, 'street', 100, 1, 150 + Math.floor(next() * 400)));
  BUREAUS.forEach((name, index) => addUnit(200 + index, name, 'bureau', 1, 0, 300 + Math.floor(next() * 2500)));
  UTILITIES.forEach((name, index) => addUnit(300 + index, name, 'utility', 1, 0, 200 + Math.floor(next() * 900)));
  for (const type of ['district', 'street', 'bureau', 'utility']) {
    const ofType = rows.filter((row) => row.unitType === type).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const previous = [...ofType].sort((a, b) => (b.previousScore ?? 0) - (a.previousScore ?? 0));
    ofType.forEach((row, index) => {
      row.rank = index + 1;
      row.previousRank = previous.indexOf(row) + 1;
      row.rankChange = row.previousRank - row.rank;
    });
  }
  const received = rows.filter((row) => row.depth === 0).reduce((total, row) => total + row.received, 0);
  data.assessment = { ...data.assessment, rows, totals: { ...data.assessment.totals, received, score: 83.46, overdue: 187, overdueWorkingDays: 402.5, returns: 311, repeats: 604 } };

  data.volume = {
    ...data.volume,
    total: received,
    byChannel: [
      { channel: 'phone', count: Math.round(received * 0.62) },
      { channel: 'wechat', count: Math.round(received * 0.17) },
      { channel: 'web', count: Math.round(received * 0.09) },
      { channel: 'app', count: Math.round(received * 0.07) },
      { channel: 'partner_hotline', count: Math.round(received * 0.03) },
      { channel: 'email', count: Math.round(received * 0.01) },
      { channel: 'media', count: received - Math.round(received * 0.62) - Math.round(received * 0.17) - Math.round(received * 0.09) - Math.round(received * 0.07) - Math.round(received * 0.03) - Math.round(received * 0.01) },
    ],
    byRequestType: [
      { requestType: 'complaint', count: Math.round(received * 0.38) },
      { requestType: 'help', count: Math.round(received * 0.24) },
      { requestType: 'consultation', count: Math.round(received * 0.22) },
      { requestType: 'suggestion', count: Math.round(received * 0.09) },
      { requestType: 'report', count: Math.round(received * 0.05) },
      { requestType: 'praise', count: received - Math.round(received * 0.38) - Math.round(received * 0.24) - Math.round(received * 0.22) - Math.round(received * 0.09) - Math.round(received * 0.05) },
    ],
  };

  const overdueUnits: OverdueUnitRow[] = rows
    .filter((row) => row.depth === 0)
    .map((row) => ({ unitId: row.unitId, unitName: row.unitName, unitType: row.unitType, parentId: row.parentId, depth: 0, open: Math.floor(next() * 6), late: Math.floor(next() * 9), workingDaysLate: Math.round(next() * 250) / 10, supervised: Math.floor(next() * 3) }));
  const titles = ['小区路灯不亮', '占道经营扰民', '供暖温度不达标', '施工噪音扰民', '楼道堆物', '拖欠工资', '物业费纠纷', '井盖缺失', '违法停车占用消防通道', '垃圾清运不及时'];
  const orders: OverdueOrderRow[] = Array.from({ length: 25 }, (_, index) => {
    const unit = overdueUnits[index % overdueUnits.length];
    const open = index % 3 === 0;
    return {
      workOrderId: 5000 + index,
      number: `GD2026110${String(index + 1).padStart(2, '0')}${String(1000 + index)}`,
      title: `${unit.unitName}${titles[index % titles.length]}${index % 4 === 0 ? '，居民多次反映仍未解决，要求尽快处理并答复' : ''}`,
      leadUnitId: unit.unitId,
      leadUnitName: unit.unitName,
      status: open ? 'processing' : 'closed',
      replyDueAt: `2026-11-${String(3 + (index % 25)).padStart(2, '0')}T09:30:00.000Z`,
      repliedAt: open ? null : `2026-11-${String(5 + (index % 24)).padStart(2, '0')}T03:00:00.000Z`,
      kind: open ? 'open' : 'late',
      workingDaysLate: Math.round((20 - index * 0.7) * 10) / 10,
      supervised: index % 2 === 0,
      supervisionOutcome: index % 2 === 0 ? (open ? 'open' : 'replied') : null,
    };
  });
  data.overdue = { ...data.overdue, units: overdueUnits, orders, truncated: false };

  const shirkingUnits: ShirkingUnitRow[] = rows
    .filter((row) => row.depth === 0)
    .map((row) => {
      const returns = Math.floor(next() * 25);
      const approved = Math.floor(returns * next());
      return { unitId: row.unitId, unitName: row.unitName, unitType: row.unitType, parentId: row.parentId, depth: 0, received: row.received, returns, returnsApproved: approved, returnsRejected: returns - approved, returnRate: returns / (row.received + approved), flags: Math.floor(next() * 6), failedCallbacks: Math.floor(next() * 15) };
    })
    .sort((a, b) => (b.returnRate ?? 0) - (a.returnRate ?? 0));
  data.shirking = {
    ...data.shirking,
    units: shirkingUnits,
    flagsByRule: [
      { rule: 'returned', count: 41, resolved: 30 },
      { rule: 'bounced', count: 17, resolved: 9 },
      { rule: 'late-acceptance', count: 56, resolved: 50 },
      { rule: 'reply-rejected', count: 12, resolved: 7 },
      { rule: 'callback-failed', count: 33, resolved: 12 },
      { rule: 'reopened', count: 9, resolved: 4 },
      { rule: 'repeat-after-resolved', count: 6, resolved: 1 },
    ],
    disputes: { raised: 14, ruled: 11 },
  };
  data.repeats = {
    ...data.repeats,
    units: rows.filter((row) => row.depth === 0).map((row) => ({ unitId: row.unitId, unitName: row.unitName, unitType: row.unitType, parentId: row.parentId, depth: 0, received: row.received, repeats: row.repeats, repeatRate: row.repeats / row.received })),
    totals: { orders: received, repeats: 604, repeatRate: 604 / received },
  };
  return data;
}

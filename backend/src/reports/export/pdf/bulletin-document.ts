import { TimeZone } from '../../../calendar/time-zone';
import type { ReportPeriod } from '../../report-period';
import type {
  AssessmentReport,
  AssessmentRow,
  CallsReport,
  OverdueOrderRow,
  OverdueReport,
  OverdueUnitRow,
  RepeatsReport,
  ShirkingReport,
  ShirkingUnitRow,
  VolumeSummary,
} from '../../report-views';
import { CHANNEL_LABELS, REQUEST_TYPE_LABELS, SHIRKING_RULE_LABELS, UNIT_TYPE_LABELS, labelOf } from '../labels';
import { periodLabel } from '../period-label';
import { findCjkFonts, type CjkFonts } from './cjk-font';
import { PdfLayout, PAGE, COLORS, type TableColumn } from './pdf-layout';

/** Everything the bulletin prints: gathered by BulletinPdfService from the report services, hand-made in tests. */
export interface BulletinData {
  /** The hotline center's name (the center unit), on the title page. */
  centerName: string;
  period: ReportPeriod;
  /** When it was generated (ISO instant), printed as the center's local date. */
  generatedAt: string;
  /** The center's time zone (CENTER_TIMEZONE). */
  timeZone: string;
  assessment: AssessmentReport;
  volume: VolumeSummary;
  overdue: OverdueReport;
  shirking: ShirkingReport;
  repeats: RepeatsReport;
  calls: CallsReport;
}

/** The section titles, in order (tests look for each in the text). */
export const BULLETIN_SECTIONS = ['一、总体情况', '二、考核排名', '三、超期情况', '四、推诿扯皮', '五、重复件与多人反映', '六、话务情况'] as const;

/** Orders and units listed at most in a table of the bulletin (the Excel exports have all of them). */
const TOP = 10;

/** The unit types in the order their rankings are printed. */
const RANKING_TYPE_ORDER = ['district', 'bureau', 'street', 'utility', 'community', 'grid'];

/**
 * 月通报 as a PDF (A4): a title page, then 一 summary figures and the volume charts, 二 the rankings per unit type
 * and the three rates by unit, 三 overdue, 四 shirking, 五 repeats and hotspots, 六 calls; page numbers in the footer.
 */
export async function bulletinDocument(data: BulletinData, options: { fonts?: CjkFonts } = {}): Promise<Buffer> {
  const fonts = options.fonts ?? findCjkFonts();
  const period = periodLabel(data.period);
  const layout = await PdfLayout.create(fonts, { title: `12345热线月度通报 ${period}`, subject: data.centerName });
  const zone = new TimeZone(data.timeZone);

  titlePage(layout, data, period, zone);
  layout.newPage();
  summarySection(layout, data, period);
  rankingSection(layout, data.assessment);
  overdueSection(layout, data.overdue, zone);
  shirkingSection(layout, data.shirking);
  repeatsSection(layout, data.repeats, zone);
  callsSection(layout, data.calls);
  layout.footers(`${data.centerName} · 12345热线月度通报 · ${period}`);
  return layout.finish();
}

function titlePage(layout: PdfLayout, data: BulletinData, period: string, zone: TimeZone): void {
  const middle = PAGE.height / 2;
  layout.centred(data.centerName, { size: 16, y: middle - 170, color: COLORS.muted });
  layout.rule(middle - 120);
  layout.centred('12345热线月度通报', { size: 30, bold: true, color: COLORS.accent, y: middle - 95 });
  layout.centred(period, { size: 20, y: middle - 35 });
  layout.centred(`统计期间：${data.period.from} 至 ${data.period.to}`, { size: 11, y: middle + 2, color: COLORS.muted });
  layout.rule(middle + 40);
  layout.centred(`生成日期：${localDate(data.generatedAt, zone)}`, { size: 11, y: middle + 220, color: COLORS.muted });
  layout.centred(data.centerName, { size: 11, y: middle + 240, color: COLORS.muted });
}

function summarySection(layout: PdfLayout, data: BulletinData, period: string): void {
  const totals = data.assessment.totals;
  layout.sectionTitle(BULLETIN_SECTIONS[0]);
  const weights = data.assessment.weights;
  layout.paragraph(
    `${period}，全市12345热线共受理诉求 ${count(totals.received)} 件，` +
      `响应率 ${rate(totals.responseRate)}，解决率 ${rate(totals.resolutionRate)}，满意率 ${rate(totals.satisfactionRate)}，` +
      `三率综合得分 ${score(totals.score)} 分。按时办结率 ${rate(totals.onTimeCompletionRate)}，超期 ${count(totals.overdue)} 件（合计 ${days(totals.overdueWorkingDays)} 个工作日），` +
      `退单 ${count(totals.returns)} 件（退单率 ${rate(totals.returnRate)}），重复件 ${count(totals.repeats)} 件，督办 ${count(totals.supervisions)} 件。`,
    { indentFirstLine: true },
  );
  layout.keyFigures([
    { label: '受理量（件）', value: count(totals.received) },
    { label: '响应率', value: rate(totals.responseRate) },
    { label: '解决率', value: rate(totals.resolutionRate) },
    { label: '满意率', value: rate(totals.satisfactionRate) },
    { label: '三率综合得分', value: score(totals.score) },
    { label: '按时办结率', value: rate(totals.onTimeCompletionRate) },
    { label: '超期（件）', value: count(totals.overdue) },
    { label: '退单（件）', value: count(totals.returns) },
    { label: '重复件（件）', value: count(totals.repeats) },
    { label: '回访覆盖率', value: rate(totals.callbackCoverage) },
    { label: '延期（件）', value: count(totals.extensions) },
    { label: '推诿标记（个）', value: count(totals.shirkingFlags) },
  ]);
  layout.paragraph(
    `注：综合得分 = 响应率×${weights.response} + 解决率×${weights.resolution} + 满意率×${weights.satisfaction}（按权重占比折算为百分制）；` +
      `满意率中“基本满意”按 ${weights.basicallySatisfied} 计。比率的分母为 0 时记为“—”（无数据）。`,
    { size: 8.5, color: COLORS.muted },
  );
  const volume = data.volume;
  const share = (value: number) => (volume.total > 0 ? `${count(value)}（${((value / volume.total) * 100).toFixed(1)}%）` : count(value));
  layout.barChart(
    `受理渠道分布（共 ${count(volume.total)} 件）`,
    [...volume.byChannel].sort((a, b) => b.count - a.count).map((item) => ({ label: labelOf(CHANNEL_LABELS, item.channel), value: item.count, caption: share(item.count) })),
  );
  layout.barChart(
    '诉求类型分布',
    [...volume.byRequestType].sort((a, b) => b.count - a.count).map((item) => ({ label: labelOf(REQUEST_TYPE_LABELS, item.requestType), value: item.count, caption: share(item.count) })),
  );
}

function rankingSection(layout: PdfLayout, report: AssessmentReport): void {
  layout.sectionTitle(BULLETIN_SECTIONS[1]);
  layout.paragraph('各单位按三率综合得分在同类型单位中排名（含下级单位汇总），排名变化与上期相比；本期无受理的单位不参与排名。', { size: 9.5, color: COLORS.muted });
  const byType = new Map<string, AssessmentRow[]>();
  for (const row of report.rows) byType.set(row.unitType, [...(byType.get(row.unitType) ?? []), row]);
  const types = [...byType.keys()].filter((type) => type !== 'center').sort((a, b) => typeOrder(a) - typeOrder(b));
  const columns: TableColumn<AssessmentRow>[] = [
    { header: '排名', width: 0.07, align: 'center', text: (r) => (r.rank === null ? '—' : String(r.rank)) },
    { header: '单位', width: 0.23, text: (r) => r.unitName },
    { header: '受理量', width: 0.1, align: 'right', text: (r) => count(r.received) },
    { header: '响应率', width: 0.1, align: 'right', text: (r) => rate(r.responseRate) },
    { header: '解决率', width: 0.1, align: 'right', text: (r) => rate(r.resolutionRate) },
    { header: '满意率', width: 0.1, align: 'right', text: (r) => rate(r.satisfactionRate) },
    { header: '综合得分', width: 0.1, align: 'right', text: (r) => score(r.score) },
    { header: '上期得分', width: 0.1, align: 'right', text: (r) => score(r.previousScore) },
    { header: '排名变化', width: 0.1, align: 'center', text: (r) => rankChange(r) },
  ];
  for (const type of types) {
    const rows = [...(byType.get(type) ?? [])].sort(byRank);
    layout.subTitle(`${labelOf(UNIT_TYPE_LABELS, type)}（${rows.length} 个）`);
    layout.table(columns, rows);
  }
  // The chart compares the units at the top of the report (districts, bureaus …), with a score.
  const topDepth = Math.min(...report.rows.map((row) => row.depth));
  const charted = report.rows.filter((row) => row.depth === topDepth && row.unitType !== 'center' && row.received > 0).sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  layout.dotPlot(
    '各单位三率对比（按综合得分排序）',
    ['响应率', '解决率', '满意率'],
    charted.map((row) => ({ label: row.unitName, values: [row.responseRate, row.resolutionRate, row.satisfactionRate] })),
  );
}

function overdueSection(layout: PdfLayout, report: OverdueReport, zone: TimeZone): void {
  layout.sectionTitle(BULLETIN_SECTIONS[2]);
  const topDepth = Math.min(...report.units.map((unit) => unit.depth));
  const top = report.units.filter((unit) => unit.depth === topDepth);
  const open = top.reduce((total, unit) => total + unit.open, 0);
  const late = top.reduce((total, unit) => total + unit.late, 0);
  const workingDays = top.reduce((total, unit) => total + unit.workingDaysLate, 0);
  const supervised = top.reduce((total, unit) => total + unit.supervised, 0);
  layout.paragraph(
    report.units.length === 0
      ? '本期无超期工单。'
      : `本期超期工单 ${count(open + late)} 件：期末仍未答复 ${count(open)} 件，超期答复 ${count(late)} 件，合计超期 ${days(workingDays)} 个工作日；其中督办 ${count(supervised)} 件。`,
    { indentFirstLine: true },
  );
  if (report.units.length === 0) return;
  const worstUnits = [...report.units].sort((a, b) => b.open + b.late - (a.open + a.late) || b.workingDaysLate - a.workingDaysLate).slice(0, TOP);
  layout.subTitle(`超期较多的单位（前 ${Math.min(TOP, worstUnits.length)} 个）`);
  const unitColumns: TableColumn<OverdueUnitRow>[] = [
    { header: '单位', width: 0.34, text: (r) => r.unitName },
    { header: '类型', width: 0.14, text: (r) => labelOf(UNIT_TYPE_LABELS, r.unitType) },
    { header: '期末未办超期', width: 0.14, align: 'right', text: (r) => count(r.open) },
    { header: '超期答复', width: 0.12, align: 'right', text: (r) => count(r.late) },
    { header: '超期工作日', width: 0.14, align: 'right', text: (r) => days(r.workingDaysLate) },
    { header: '督办', width: 0.12, align: 'right', text: (r) => count(r.supervised) },
  ];
  layout.table(unitColumns, worstUnits);
  layout.subTitle(`超期最久的工单（前 ${Math.min(TOP, report.orders.length)} 件）`);
  const orderColumns: TableColumn<OverdueOrderRow>[] = [
    { header: '工单编号', width: 0.19, text: (r) => r.number },
    { header: '标题', width: 0.23, text: (r) => r.title },
    { header: '主办单位', width: 0.13, text: (r) => r.leadUnitName ?? '—' },
    { header: '答复期限', width: 0.16, text: (r) => (r.replyDueAt ? localDateTime(r.replyDueAt, zone) : '—') },
    { header: '超期工作日', width: 0.12, align: 'right', text: (r) => days(r.workingDaysLate) },
    { header: '状态', width: 0.17, text: (r) => overdueState(r) },
  ];
  layout.table(orderColumns, report.orders.slice(0, TOP), '本期无超期工单。');
}

function overdueState(row: OverdueOrderRow): string {
  const state = row.kind === 'open' ? '未答复' : '超期答复';
  if (row.supervisionOutcome === 'replied') return `${state}·督办后已答复`;
  if (row.supervisionOutcome === 'open') return `${state}·已督办`;
  return state;
}

function shirkingSection(layout: PdfLayout, report: ShirkingReport): void {
  layout.sectionTitle(BULLETIN_SECTIONS[3]);
  const returns = report.units.reduce((total, unit) => total + unit.returns, 0);
  const flags = report.flagsByRule.reduce((total, rule) => total + rule.count, 0);
  layout.paragraph(
    `本期各单位申请退单 ${count(returns)} 次，推诿扯皮规则标记 ${count(flags)} 个；新增争议件 ${count(report.disputes.raised)} 件，中心作出裁定 ${count(report.disputes.ruled)} 件。`,
    { indentFirstLine: true },
  );
  layout.subTitle(`退单率较高的单位（前 ${Math.min(TOP, report.units.length)} 个）`);
  const unitColumns: TableColumn<ShirkingUnitRow>[] = [
    { header: '单位', width: 0.28, text: (r) => r.unitName },
    { header: '受理量', width: 0.11, align: 'right', text: (r) => count(r.received) },
    { header: '退单', width: 0.09, align: 'right', text: (r) => count(r.returns) },
    { header: '同意', width: 0.09, align: 'right', text: (r) => count(r.returnsApproved) },
    { header: '驳回', width: 0.09, align: 'right', text: (r) => count(r.returnsRejected) },
    { header: '退单率', width: 0.11, align: 'right', text: (r) => rate(r.returnRate) },
    { header: '推诿标记', width: 0.11, align: 'right', text: (r) => count(r.flags) },
    { header: '回访未通过', width: 0.12, align: 'right', text: (r) => count(r.failedCallbacks) },
  ];
  layout.table(unitColumns, report.units.slice(0, TOP));
  layout.subTitle('按规则统计的推诿扯皮标记');
  layout.table(
    [
      { header: '规则', width: 0.5, text: (r: ShirkingReport['flagsByRule'][number]) => labelOf(SHIRKING_RULE_LABELS, r.rule) },
      { header: '标记数', width: 0.25, align: 'right', text: (r) => count(r.count) },
      { header: '已处理', width: 0.25, align: 'right', text: (r) => count(r.resolved) },
    ],
    report.flagsByRule,
  );
  layout.subTitle('退单次数最多的工单');
  layout.table(
    [
      { header: '工单编号', width: 0.2, text: (r: ShirkingReport['mostReturned'][number]) => r.number },
      { header: '标题', width: 0.36, text: (r) => r.title },
      { header: '退单次数', width: 0.12, align: 'right', text: (r) => count(r.returns) },
      { header: '退单单位', width: 0.32, text: (r) => r.units.join('、') },
    ],
    report.mostReturned.slice(0, TOP),
  );
}

function repeatsSection(layout: PdfLayout, report: RepeatsReport, zone: TimeZone): void {
  layout.sectionTitle(BULLETIN_SECTIONS[4]);
  layout.paragraph(
    `本期受理 ${count(report.totals.orders)} 件中重复件 ${count(report.totals.repeats)} 件，重复率 ${rate(report.totals.repeatRate)}；` +
      `形成或扩大的多人反映热点 ${count(report.hotspots.length)} 个。`,
    { indentFirstLine: true },
  );
  const units = report.units.filter((unit) => unit.repeats > 0).sort((a, b) => b.repeats - a.repeats).slice(0, TOP);
  layout.subTitle('重复件较多的单位');
  layout.table(
    [
      { header: '单位', width: 0.4, text: (r: RepeatsReport['units'][number]) => r.unitName },
      { header: '受理量', width: 0.2, align: 'right', text: (r) => count(r.received) },
      { header: '重复件', width: 0.2, align: 'right', text: (r) => count(r.repeats) },
      { header: '重复率', width: 0.2, align: 'right', text: (r) => rate(r.repeatRate) },
    ],
    units,
    '本期无重复件。',
  );
  layout.subTitle(`多人反映热点（前 ${Math.min(TOP, report.hotspots.length)} 个）`);
  layout.table(
    [
      { header: '热点', width: 0.3, text: (r: RepeatsReport['hotspots'][number]) => r.title },
      { header: '地点', width: 0.26, text: (r) => r.address },
      { header: '工单数', width: 0.1, align: 'right', text: (r) => count(r.memberCount) },
      { header: '反映人数', width: 0.1, align: 'right', text: (r) => count(r.callerCount) },
      { header: '反映时间', width: 0.24, text: (r) => `${localDate(r.firstAt, zone).slice(5)} 至 ${localDate(r.lastAt, zone).slice(5)}` },
    ],
    report.hotspots.slice(0, TOP),
    '本期无多人反映热点。',
  );
}

function callsSection(layout: PdfLayout, report: CallsReport): void {
  layout.sectionTitle(BULLETIN_SECTIONS[5], 60);
  if (!report.dataAvailable || report.totals === null) {
    layout.paragraph('暂无数据：话务系统尚未接入，本期没有通话记录。', { color: COLORS.muted });
    return;
  }
  const totals = report.totals;
  layout.paragraph(
    `本期热线呼入 ${count(totals.calls)} 个，接通 ${count(totals.answered)} 个（接通率 ${rate(totals.answerRate)}），` +
      `15 秒内接通 ${count(totals.answeredWithin15s)} 个（15 秒接通率 ${rate(totals.within15sRate)}），放弃 ${count(totals.abandoned)} 个。`,
    { indentFirstLine: true },
  );
  layout.keyFigures([
    { label: '呼入量', value: count(totals.calls) },
    { label: '接通率', value: rate(totals.answerRate) },
    { label: '15秒接通率', value: rate(totals.within15sRate) },
    { label: '放弃量', value: count(totals.abandoned) },
  ]);
}

function typeOrder(type: string): number {
  const index = RANKING_TYPE_ORDER.indexOf(type);
  return index === -1 ? RANKING_TYPE_ORDER.length : index;
}

function byRank(a: AssessmentRow, b: AssessmentRow): number {
  return (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) || (b.score ?? -1) - (a.score ?? -1) || b.received - a.received;
}

function rankChange(row: AssessmentRow): string {
  if (row.rank === null) return '—';
  if (row.previousRank === null || row.rankChange === null) return '新';
  if (row.rankChange > 0) return `↑${row.rankChange}`;
  if (row.rankChange < 0) return `↓${-row.rankChange}`;
  return '持平';
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function rate(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function score(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

function days(value: number): string {
  return value.toFixed(1);
}

function localDate(instant: string, zone: TimeZone): string {
  return new Date(zone.toLocalMs(Date.parse(instant))).toISOString().slice(0, 10);
}

function localDateTime(instant: string, zone: TimeZone): string {
  return new Date(zone.toLocalMs(Date.parse(instant))).toISOString().slice(0, 16).replace('T', ' ');
}

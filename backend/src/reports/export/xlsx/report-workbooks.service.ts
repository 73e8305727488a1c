import { Inject, Injectable } from '@nestjs/common';
import type { Workbook } from 'exceljs';
import { TimeZone } from '../../../calendar/time-zone';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import type {
  AssessmentFigures,
  AssessmentReport,
  AssessmentRow,
  CallsReport,
  OverdueOrderRow,
  OverdueReport,
  OverdueUnitRow,
  RepeatsReport,
  ShirkingReport,
  ShirkingUnitRow,
  UnitRef,
} from '../../report-views';
import { SHIRKING_RULE_LABELS, STATUS_LABELS, UNIT_TYPE_LABELS, labelOf } from '../labels';
import { periodLabel } from '../period-label';
import { addNoDataSheet, addTableSheet, type ColumnSpec } from './table-sheet';

export type ReportForWorkbook =
  | { name: 'assessment'; report: AssessmentReport }
  | { name: 'overdue'; report: OverdueReport }
  | { name: 'shirking'; report: ShirkingReport }
  | { name: 'repeats'; report: RepeatsReport }
  | { name: 'calls'; report: CallsReport };

/** The reports as Excel workbooks (exceljs): GET /api/reports/<name>?format=xlsx. Layout: docs/bulletin.md. */
@Injectable()
export class ReportWorkbooksService {
  private readonly zone: TimeZone;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.zone = new TimeZone(config.centerTimeZone);
  }

  workbook(input: ReportForWorkbook): Promise<Buffer> {
    return reportWorkbook(input, this.zone);
  }
}

/** The .xlsx of one report; instants are written in the given (center) time zone. */
export async function reportWorkbook(input: ReportForWorkbook, zone: TimeZone): Promise<Buffer> {
  // exceljs is loaded with the first export, not with the application (like pdfkit: pdf-layout.ts).
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  workbook.creator = '12345热线';
  workbook.created = new Date(input.report.generatedAt);
  switch (input.name) {
    case 'assessment':
      addAssessmentSheets(workbook, zone, input.report);
      break;
    case 'overdue':
      addOverdueSheets(workbook, zone, input.report);
      break;
    case 'shirking':
      addShirkingSheets(workbook, zone, input.report);
      break;
    case 'repeats':
      addRepeatsSheets(workbook, zone, input.report);
      break;
    case 'calls':
      addCallsSheets(workbook, zone, input.report);
      break;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The unit column: the name indented by its depth in the tree; the totals row says 合计. */
function unitNameColumn<Row extends Partial<UnitRef>>(width = 28): ColumnSpec<Row> {
  return { header: '单位', kind: 'text', width, value: (row) => row.unitName ?? '合计', indent: (row) => row.depth ?? 0 };
}

function unitTypeColumn<Row extends Partial<UnitRef>>(): ColumnSpec<Row> {
  return { header: '类型', kind: 'text', width: 12, value: (row) => (row.unitType === undefined ? '' : labelOf(UNIT_TYPE_LABELS, row.unitType)) };
}

type AssessmentLine = AssessmentFigures & Partial<Omit<AssessmentRow, keyof AssessmentFigures>>;

function addAssessmentSheets(workbook: Workbook, zone: TimeZone, report: AssessmentReport): void {
  const figure = (header: string, kind: 'count' | 'rate' | 'days' | 'score', pick: (row: AssessmentLine) => number | null): ColumnSpec<AssessmentLine> => ({
    header,
    kind,
    value: pick,
  });
  const rankColumn = (header: string, kind: 'count' | 'signed', pick: (row: AssessmentLine) => number | null | undefined): ColumnSpec<AssessmentLine> => ({
    header,
    kind,
    value: (row) => pick(row) ?? null,
  });
  const columns: ColumnSpec<AssessmentLine>[] = [
    unitNameColumn(),
    unitTypeColumn(),
    figure('受理量', 'count', (r) => r.received),
    figure('响应率', 'rate', (r) => r.responseRate),
    figure('解决率', 'rate', (r) => r.resolutionRate),
    figure('满意率', 'rate', (r) => r.satisfactionRate),
    figure('综合得分', 'score', (r) => r.score),
    rankColumn('排名', 'count', (r) => r.rank),
    rankColumn('上期排名', 'count', (r) => r.previousRank),
    rankColumn('排名变化', 'signed', (r) => r.rankChange),
    figure('按时签收率', 'rate', (r) => r.acceptedOnTimeRate),
    figure('按时办结率', 'rate', (r) => r.onTimeCompletionRate),
    figure('超期件数', 'count', (r) => r.overdue),
    figure('超期工作日', 'days', (r) => r.overdueWorkingDays),
    figure('退单数', 'count', (r) => r.returns),
    figure('退单率', 'rate', (r) => r.returnRate),
    figure('重办率', 'rate', (r) => r.reopenRate),
    figure('重复件', 'count', (r) => r.repeats),
    figure('延期', 'count', (r) => r.extensions),
    figure('督办', 'count', (r) => r.supervisions),
    figure('推诿标记', 'count', (r) => r.shirkingFlags),
    figure('回访覆盖率', 'rate', (r) => r.callbackCoverage),
    figure('回访量', 'count', (r) => r.calledBack),
    figure('满意', 'count', (r) => r.satisfied),
    figure('基本满意', 'count', (r) => r.basicallySatisfied),
    figure('不满意', 'count', (r) => r.dissatisfied),
  ];
  const weights = report.weights;
  addTableSheet<AssessmentLine>(workbook, zone, {
    name: '考核排名',
    title: `考核排名 ${periodLabel(report.period)}（三率权重 响应${weights.response}/解决${weights.resolution}/满意${weights.satisfaction}；排名按同类型单位）`,
    columns,
    rows: report.rows,
    totals: report.totals,
  });
}

function addOverdueSheets(workbook: Workbook, zone: TimeZone, report: OverdueReport): void {
  const period = periodLabel(report.period);
  type UnitLine = Partial<OverdueUnitRow> & Pick<OverdueUnitRow, 'open' | 'late' | 'workingDaysLate' | 'supervised'>;
  // The rows roll up their subtrees: the totals are those of the top-level rows.
  const top = report.units.filter((unit) => unit.depth === minDepth(report.units));
  const totals: UnitLine = {
    open: sum(top, (u) => u.open),
    late: sum(top, (u) => u.late),
    workingDaysLate: round1(sum(top, (u) => u.workingDaysLate)),
    supervised: sum(top, (u) => u.supervised),
  };
  addTableSheet<UnitLine>(workbook, zone, {
    name: '单位汇总',
    title: `超期情况 单位汇总 ${period}`,
    columns: [
      unitNameColumn(),
      unitTypeColumn(),
      { header: '期末未办超期', kind: 'count', value: (r) => r.open },
      { header: '超期办结', kind: 'count', value: (r) => r.late },
      { header: '超期工作日', kind: 'days', value: (r) => r.workingDaysLate },
      { header: '督办', kind: 'count', value: (r) => r.supervised },
    ],
    rows: report.units,
    totals,
  });
  const detail = addTableSheet<OverdueOrderRow>(workbook, zone, {
    name: '工单明细',
    title: `超期工单明细 ${period}（按超期工作日降序）`,
    columns: [
      { header: '工单编号', kind: 'text', width: 18, value: (r) => r.number },
      { header: '标题', kind: 'text', width: 36, value: (r) => r.title },
      { header: '主办单位', kind: 'text', width: 24, value: (r) => r.leadUnitName },
      { header: '状态', kind: 'text', width: 11, value: (r) => labelOf(STATUS_LABELS, r.status) },
      { header: '类别', kind: 'text', width: 11, value: (r) => (r.kind === 'open' ? '未办超期' : '超期办结') },
      { header: '答复期限', kind: 'instant', value: (r) => r.replyDueAt },
      { header: '答复时间', kind: 'instant', value: (r) => r.repliedAt },
      { header: '超期工作日', kind: 'days', value: (r) => r.workingDaysLate },
      { header: '督办', kind: 'text', width: 8, value: (r) => (r.supervised ? '是' : '否') },
      { header: '督办结果', kind: 'text', width: 11, value: (r) => supervisionOutcomeLabel(r.supervisionOutcome) },
    ],
    rows: report.orders,
  });
  if (report.truncated) detail.getCell(detail.rowCount + 2, 1).value = `仅列出超期最多的 ${report.orders.length} 件工单。`;
}

function supervisionOutcomeLabel(outcome: OverdueOrderRow['supervisionOutcome']): string {
  if (outcome === 'replied') return '督办后已答复';
  if (outcome === 'open') return '督办后仍未答复';
  return '';
}

function addShirkingSheets(workbook: Workbook, zone: TimeZone, report: ShirkingReport): void {
  const period = periodLabel(report.period);
  addTableSheet<ShirkingUnitRow>(workbook, zone, {
    name: '单位退单率',
    title: `推诿扯皮 单位退单率 ${period}（按退单率降序）`,
    columns: [
      unitNameColumn(),
      unitTypeColumn(),
      { header: '受理量', kind: 'count', value: (r) => r.received },
      { header: '退单数', kind: 'count', value: (r) => r.returns },
      { header: '同意退单', kind: 'count', value: (r) => r.returnsApproved },
      { header: '驳回退单', kind: 'count', value: (r) => r.returnsRejected },
      { header: '退单率', kind: 'rate', value: (r) => r.returnRate },
      { header: '推诿标记', kind: 'count', value: (r) => r.flags },
      { header: '回访未通过', kind: 'count', value: (r) => r.failedCallbacks },
    ],
    rows: report.units,
  });
  type RuleLine = ShirkingReport['flagsByRule'][number];
  addTableSheet<RuleLine>(workbook, zone, {
    name: '规则',
    title: `推诿扯皮 按规则 ${period}`,
    columns: [
      { header: '规则', kind: 'text', width: 22, value: (r) => labelOf(SHIRKING_RULE_LABELS, r.rule) },
      { header: '规则代码', kind: 'text', width: 22, value: (r) => r.rule },
      { header: '标记数', kind: 'count', value: (r) => r.count },
      { header: '已处理', kind: 'count', value: (r) => r.resolved },
    ],
    rows: report.flagsByRule,
    totals: { rule: '合计', count: sum(report.flagsByRule, (r) => r.count), resolved: sum(report.flagsByRule, (r) => r.resolved) },
  });
  type DisputeLine = { label: string; count: number };
  addTableSheet<DisputeLine>(workbook, zone, {
    name: '争议与裁定',
    title: `争议件与裁定 ${period}`,
    columns: [
      { header: '项目', kind: 'text', width: 16, value: (r) => r.label },
      { header: '件数', kind: 'count', value: (r) => r.count },
    ],
    rows: [
      { label: '新增争议件', count: report.disputes.raised },
      { label: '作出裁定', count: report.disputes.ruled },
    ],
  });
  type ReturnedLine = ShirkingReport['mostReturned'][number];
  addTableSheet<ReturnedLine>(workbook, zone, {
    name: '退单最多的工单',
    title: `退单最多的工单 ${period}`,
    columns: [
      { header: '工单编号', kind: 'text', width: 18, value: (r) => r.number },
      { header: '标题', kind: 'text', width: 36, value: (r) => r.title },
      { header: '退单次数', kind: 'count', value: (r) => r.returns },
      { header: '退单单位', kind: 'text', width: 40, value: (r) => r.units.join('、') },
    ],
    rows: report.mostReturned,
  });
}

function addRepeatsSheets(workbook: Workbook, zone: TimeZone, report: RepeatsReport): void {
  const period = periodLabel(report.period);
  type UnitLine = Partial<UnitRef> & { received: number; repeats: number; repeatRate: number | null };
  addTableSheet<UnitLine>(workbook, zone, {
    name: '重复件',
    title: `重复件 按主办单位 ${period}`,
    columns: [
      unitNameColumn(),
      unitTypeColumn(),
      { header: '受理量', kind: 'count', value: (r) => r.received },
      { header: '重复件', kind: 'count', value: (r) => r.repeats },
      { header: '重复率', kind: 'rate', value: (r) => r.repeatRate },
    ],
    rows: report.units,
    totals: { received: report.totals.orders, repeats: report.totals.repeats, repeatRate: report.totals.repeatRate },
  });
  type HotspotLine = RepeatsReport['hotspots'][number];
  addTableSheet<HotspotLine>(workbook, zone, {
    name: '多人反映',
    title: `多人反映（热点） ${period}（按件数降序）`,
    columns: [
      { header: '热点', kind: 'text', width: 36, value: (r) => r.title },
      { header: '地点', kind: 'text', width: 30, value: (r) => r.address },
      { header: '工单数', kind: 'count', value: (r) => r.memberCount },
      { header: '反映人数', kind: 'count', value: (r) => r.callerCount },
      { header: '首次反映', kind: 'instant', value: (r) => r.firstAt },
      { header: '最近反映', kind: 'instant', value: (r) => r.lastAt },
    ],
    rows: report.hotspots,
  });
}

function addCallsSheets(workbook: Workbook, zone: TimeZone, report: CallsReport): void {
  const period = periodLabel(report.period);
  if (!report.dataAvailable || report.totals === null) {
    addNoDataSheet(workbook, '暂无数据', `话务情况 ${period}`, '暂无数据：话务系统尚未接入，本期没有通话记录。');
    return;
  }
  const totals = report.totals;
  type SummaryLine = { label: string; kind: 'count' | 'rate'; value: number | null };
  const summary: SummaryLine[] = [
    { label: '呼入量', kind: 'count', value: totals.calls },
    { label: '接通量', kind: 'count', value: totals.answered },
    { label: '15秒内接通', kind: 'count', value: totals.answeredWithin15s },
    { label: '放弃量', kind: 'count', value: totals.abandoned },
    { label: '接通率', kind: 'rate', value: totals.answerRate },
    { label: '15秒接通率', kind: 'rate', value: totals.within15sRate },
  ];
  const sheet = addTableSheet<SummaryLine>(workbook, zone, {
    name: '概况',
    title: `话务情况 ${period}`,
    columns: [
      { header: '指标', kind: 'text', width: 16, value: (r) => r.label },
      { header: '数值', kind: 'count', width: 12, value: (r) => r.value },
    ],
    rows: summary,
  });
  // Rates in a column of counts: their own format, row by row.
  summary.forEach((line, index) => {
    if (line.kind === 'rate') sheet.getCell(3 + index, 2).numFmt = '0.0%';
  });
  type DayLine = CallsReport['byDay'][number];
  addTableSheet<DayLine>(workbook, zone, {
    name: '按日',
    title: `话务 按日 ${period}`,
    columns: [
      { header: '日期', kind: 'day', value: (r) => r.day },
      { header: '呼入量', kind: 'count', value: (r) => r.calls },
      { header: '接通量', kind: 'count', value: (r) => r.answered },
      { header: '放弃量', kind: 'count', value: (r) => r.abandoned },
    ],
    rows: report.byDay,
    totals: { day: '合计', calls: sum(report.byDay, (r) => r.calls), answered: sum(report.byDay, (r) => r.answered), abandoned: sum(report.byDay, (r) => r.abandoned) },
  });
}

function sum<Item>(items: Item[], pick: (item: Item) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The top level of a tree-ordered list: its rows already roll up everything below them. */
function minDepth(units: UnitRef[]): number {
  return units.reduce((depth, unit) => Math.min(depth, unit.depth), Number.POSITIVE_INFINITY);
}

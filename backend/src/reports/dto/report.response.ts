import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { SHIRKING_RULES, type ShirkingRule } from '../../shirking/shirking.enums';
import { UNIT_TYPE_SCHEMA } from '../../units/dto/unit.response';
import { WORK_ORDER_STATUS_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { WorkOrderStatus } from '../../work-orders/work-order.enums';
import type { ReportPeriod } from '../report-period';
import type {
  AssessmentFigures,
  AssessmentReport,
  AssessmentRow,
  AssessmentWeights,
  CallsReport,
  OverdueOrderRow,
  OverdueReport,
  OverdueUnitRow,
  RepeatsReport,
  ShirkingReport,
  ShirkingUnitRow,
  UnitRef,
} from '../report-views';

/**
 * The reports' JSON for OpenAPI: each class mirrors its shape in report-views.ts (and `implements` it, so a field the
 * view lacks or types differently does not compile). Rates are fractions 0…1, null when their denominator is 0.
 */

type ShirkingRuleCount = ShirkingReport['flagsByRule'][number];
type MostReturnedOrder = ShirkingReport['mostReturned'][number];
type RepeatsUnitRow = RepeatsReport['units'][number];
type ReportHotspot = RepeatsReport['hotspots'][number];
type CallsTotals = NonNullable<CallsReport['totals']>;
type CallsDay = CallsReport['byDay'][number];
type DisputeCounts = ShirkingReport['disputes'];
type RepeatsTotals = RepeatsReport['totals'];

const COUNT = { type: 'integer', minimum: 0 } as const;
const RATE = { type: Number, nullable: true, minimum: 0, maximum: 1 } as const;
const DATE_TIME = { type: String, format: 'date-time', example: '2026-12-01T02:00:00.000Z' } as const;
const SHIRKING_RULE_SCHEMA = { enum: SHIRKING_RULES, enumName: 'ShirkingRule' } as const;

export class ReportPeriodResponse implements ReportPeriod {
  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'First day, in the center’s time zone (included)' })
  from: string;

  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'Last day, in the center’s time zone (included)' })
  to: string;
}

export class ReportUnitRefResponse implements UnitRef {
  @ApiProperty({ type: 'integer', description: 'The unit' })
  unitId: number;

  @ApiProperty({ example: '云川市城市管理局', description: 'The unit’s name' })
  unitName: string;

  @ApiProperty({ ...UNIT_TYPE_SCHEMA, description: 'The unit’s type (rankings compare units of one type)' })
  unitType: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit above it (null: a root)' })
  parentId: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: '0 for the report’s top unit, +1 per level below (for indenting)' })
  depth: number;
}

export class AssessmentWeightsResponse implements AssessmentWeights {
  @ApiProperty({ type: Number, example: 30, description: '响应率 weight (ASSESSMENT_WEIGHTS; the score uses each weight’s share of their sum)' })
  response: number;

  @ApiProperty({ type: Number, example: 35, description: '解决率 weight' })
  resolution: number;

  @ApiProperty({ type: Number, example: 35, description: '满意率 weight' })
  satisfaction: number;

  @ApiProperty({ type: Number, example: 0.8, description: 'What one 基本满意 counts as in the satisfaction rate (ASSESSMENT_BASICALLY_SATISFIED_WEIGHT)' })
  basicallySatisfied: number;
}

export class AssessmentFiguresResponse implements AssessmentFigures {
  @ApiProperty({ ...COUNT, description: 'Orders received (dispatched to the unit or its subtree) in the period' })
  received: number;

  @ApiProperty({ ...COUNT, description: 'Of those, responded to in time (响应)' })
  respondedInTime: number;

  @ApiProperty({ ...RATE, description: '响应率: respondedInTime ÷ received' })
  responseRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Orders accepted (签收) in the period' })
  accepted: number;

  @ApiProperty({ ...COUNT, description: 'Of those, accepted by their deadline' })
  acceptedOnTime: number;

  @ApiProperty({ ...RATE, description: '及时签收率: acceptedOnTime ÷ accepted' })
  acceptedOnTimeRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Orders called back (回访) in the period' })
  calledBack: number;

  @ApiProperty({ ...COUNT, description: 'Of those, resolved by the citizen’s word' })
  resolvedAtCallback: number;

  @ApiProperty({ ...RATE, description: '解决率: resolvedAtCallback ÷ calledBack' })
  resolutionRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Callbacks: 满意' })
  satisfied: number;

  @ApiProperty({ ...COUNT, description: 'Callbacks: 基本满意' })
  basicallySatisfied: number;

  @ApiProperty({ ...COUNT, description: 'Callbacks: 不满意' })
  dissatisfied: number;

  @ApiProperty({ ...RATE, description: '满意率: (satisfied + weight × basicallySatisfied) ÷ calledBack' })
  satisfactionRate: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, description: '三率 composite score 0…100: the weighted mean of the three rates (null if any is null)' })
  score: number | null;

  @ApiProperty({ ...COUNT, description: 'Replies (答复) in the period' })
  replied: number;

  @ApiProperty({ ...COUNT, description: 'Of those, by their deadline' })
  repliedOnTime: number;

  @ApiProperty({ ...RATE, description: '按时办结率: repliedOnTime ÷ replied' })
  onTimeCompletionRate: number | null;

  @ApiProperty({ ...COUNT, description: '超期: replies late in the period + orders due in it still unreplied and overdue' })
  overdue: number;

  @ApiProperty({ type: Number, minimum: 0, description: 'Working days late of the late replies (one decimal)' })
  overdueWorkingDays: number;

  @ApiProperty({ ...COUNT, description: '退单: return requests the unit made in the period' })
  returns: number;

  @ApiProperty({ ...COUNT, description: 'Of those, approved by the center' })
  returnsApproved: number;

  @ApiProperty({ ...RATE, description: '退单率: returns ÷ (received + returnsApproved)' })
  returnRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Orders closed (办结) in the period' })
  closed: number;

  @ApiProperty({ ...COUNT, description: 'Of those, reopened (重办)' })
  reopened: number;

  @ApiProperty({ ...RATE, description: '重办率: reopened ÷ closed' })
  reopenRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Of the orders received: repeat complaints (重复件)' })
  repeats: number;

  @ApiProperty({ ...COUNT, description: 'Of the orders received: with an approved extension (延期)' })
  extensions: number;

  @ApiProperty({ ...COUNT, description: 'Of the orders received: supervised (督办)' })
  supervisions: number;

  @ApiProperty({ ...COUNT, description: 'Shirking flags (推诿扯皮) raised on the unit in the period' })
  shirkingFlags: number;

  @ApiProperty({ ...COUNT, description: 'Closed orders that needed a callback' })
  closedCallbackRequired: number;

  @ApiProperty({ ...COUNT, description: 'Of those, called back' })
  closedCalledBack: number;

  @ApiProperty({ ...RATE, description: '回访覆盖率: closedCalledBack ÷ closedCallbackRequired' })
  callbackCoverage: number | null;
}

export class AssessmentRowResponse extends IntersectionType(ReportUnitRefResponse, AssessmentFiguresResponse) implements AssessmentRow {
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, description: 'Rank by score among the report’s units of the same type (1 = best); null without a score' })
  rank: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The score of the previous period' })
  previousScore: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The rank of the previous period' })
  previousRank: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'previousRank − rank: positive = moved up; null when either is missing' })
  rankChange: number | null;
}

export class AssessmentReportResponse implements AssessmentReport {
  @ApiProperty({ type: ReportPeriodResponse, description: 'The period assessed' })
  period: ReportPeriodResponse;

  @ApiProperty({ type: ReportPeriodResponse, description: 'The period the ranking change compares with (the month or quarter before, or as many days just before)' })
  previousPeriod: ReportPeriodResponse;

  @ApiProperty({ type: AssessmentWeightsResponse, description: 'The weights the scores use' })
  weights: AssessmentWeightsResponse;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit whose subtree the report covers; null = the whole center' })
  scopeUnitId: number | null;

  @ApiProperty({ type: AssessmentFiguresResponse, description: 'The scope’s totals (every order of the scope once)' })
  totals: AssessmentFiguresResponse;

  @ApiProperty({ type: [AssessmentRowResponse], description: 'Every unit of the scope, tree order (parent before children), each rolled up over its subtree' })
  rows: AssessmentRowResponse[];

  @ApiProperty({ ...DATE_TIME, description: 'When the figures were computed' })
  generatedAt: string;
}

export class OverdueOrderRowResponse implements OverdueOrderRow {
  @ApiProperty({ type: 'integer', description: 'The order' })
  workOrderId: number;

  @ApiProperty({ example: '20261103000012', description: 'The order’s number' })
  number: string;

  @ApiProperty({ example: '朝阳路路灯不亮', description: 'The order’s title' })
  title: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The lead unit (now)' })
  leadUnitId: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'The lead unit’s name' })
  leadUnitName: string | null;

  @ApiProperty({ ...WORK_ORDER_STATUS_SCHEMA, description: 'The order’s status now' })
  status: WorkOrderStatus;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'The reply deadline' })
  replyDueAt: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'When the unit replied (null: not yet)' })
  repliedAt: string | null;

  @ApiProperty({ enum: ['open', 'late'], description: '`open` = overdue and not replied at the period’s end; `late` = replied within the period after the deadline' })
  kind: 'open' | 'late';

  @ApiProperty({ type: Number, minimum: 0, description: 'Working days late, one decimal: at the period’s end for `open`, as recorded at the reply for `late`' })
  workingDaysLate: number;

  @ApiProperty({ description: '督办: the center supervised the order' })
  supervised: boolean;

  @ApiProperty({ type: String, enum: ['replied', 'open'], nullable: true, description: 'How the supervision ended: `replied` (the unit has replied), `open` (not yet); null when not supervised' })
  supervisionOutcome: 'replied' | 'open' | null;
}

export class OverdueUnitRowResponse extends ReportUnitRefResponse implements OverdueUnitRow {
  @ApiProperty({ ...COUNT, description: 'Orders overdue and not replied at the period’s end' })
  open: number;

  @ApiProperty({ ...COUNT, description: 'Orders replied late in the period' })
  late: number;

  @ApiProperty({ type: Number, minimum: 0, description: 'Working days late of those orders together, one decimal' })
  workingDaysLate: number;

  @ApiProperty({ ...COUNT, description: 'Of those orders, the supervised ones (督办)' })
  supervised: number;
}

export class OverdueReportResponse implements OverdueReport {
  @ApiProperty({ type: ReportPeriodResponse, description: 'The period' })
  period: ReportPeriodResponse;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit whose subtree the report covers; null = the whole center' })
  scopeUnitId: number | null;

  @ApiProperty({ type: [OverdueUnitRowResponse], description: 'Every unit of the scope, tree order, each rolled up over its subtree' })
  units: OverdueUnitRowResponse[];

  @ApiProperty({ type: [OverdueOrderRowResponse], description: 'The orders, most working days late first (at most 1000)' })
  orders: OverdueOrderRowResponse[];

  @ApiProperty({ description: 'More orders counted than listed' })
  truncated: boolean;

  @ApiProperty({ ...DATE_TIME, description: 'When the report was computed' })
  generatedAt: string;
}

export class ShirkingUnitRowResponse extends ReportUnitRefResponse implements ShirkingUnitRow {
  @ApiProperty({ ...COUNT, description: 'Orders received in the period (the assessment’s figure)' })
  received: number;

  @ApiProperty({ ...COUNT, description: '退单: return requests made in the period' })
  returns: number;

  @ApiProperty({ ...COUNT, description: 'Of those, approved' })
  returnsApproved: number;

  @ApiProperty({ ...COUNT, description: 'Of those, rejected (the unit had to handle the order)' })
  returnsRejected: number;

  @ApiProperty({ ...RATE, description: '退单率: returns ÷ (received + returnsApproved)' })
  returnRate: number | null;

  @ApiProperty({ ...COUNT, description: 'Bounced orders: `bounced` flags raised on the unit in the period (an order came back to it after it returned it)' })
  flags: number;

  @ApiProperty({ ...COUNT, description: 'Orders it leads called back in the period with the callback failed (unresolved / dissatisfied)' })
  failedCallbacks: number;
}

export class ReportShirkingRuleCountResponse implements ShirkingRuleCount {
  @ApiProperty({ ...SHIRKING_RULE_SCHEMA, description: 'The rule (docs/shirking.md)' })
  rule: ShirkingRule;

  @ApiProperty({ ...COUNT, description: 'Flags of the rule first raised in the period' })
  count: number;

  @ApiProperty({ ...COUNT, description: 'Of those, resolved now' })
  resolved: number;
}

export class DisputeCountsResponse implements DisputeCounts {
  @ApiProperty({ ...COUNT, description: '争议件: orders that became disputed in the period' })
  raised: number;

  @ApiProperty({ ...COUNT, description: '裁定: rulings made in the period' })
  ruled: number;
}

export class MostReturnedOrderResponse implements MostReturnedOrder {
  @ApiProperty({ type: 'integer', description: 'The order' })
  workOrderId: number;

  @ApiProperty({ example: '20261103000012', description: 'The order’s number' })
  number: string;

  @ApiProperty({ example: '朝阳路路灯不亮', description: 'The order’s title' })
  title: string;

  @ApiProperty({ ...COUNT, description: 'Return requests on it in the period' })
  returns: number;

  @ApiProperty({ type: [String], description: 'The units that returned it, first return first' })
  units: string[];
}

export class ShirkingReportResponse implements ShirkingReport {
  @ApiProperty({ type: ReportPeriodResponse, description: 'The period' })
  period: ReportPeriodResponse;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit whose subtree the report covers; null = the whole center' })
  scopeUnitId: number | null;

  @ApiProperty({ type: [ShirkingUnitRowResponse], description: 'Every unit of the scope (rolled up over its subtree), highest return rate first' })
  units: ShirkingUnitRowResponse[];

  @ApiProperty({ type: [ReportShirkingRuleCountResponse], description: 'Flags raised in the period, every rule (zeros included)' })
  flagsByRule: ReportShirkingRuleCountResponse[];

  @ApiProperty({ type: DisputeCountsResponse, description: '争议件 raised and 裁定 made in the period' })
  disputes: DisputeCountsResponse;

  @ApiProperty({ type: [MostReturnedOrderResponse], description: 'The 20 orders returned most often in the period' })
  mostReturned: MostReturnedOrderResponse[];

  @ApiProperty({ ...DATE_TIME, description: 'When the report was computed' })
  generatedAt: string;
}

export class RepeatsUnitRowResponse extends ReportUnitRefResponse implements RepeatsUnitRow {
  @ApiProperty({ ...COUNT, description: 'Orders received in the period (the assessment’s figure)' })
  received: number;

  @ApiProperty({ ...COUNT, description: 'Of those, repeat complaints (重复件)' })
  repeats: number;

  @ApiProperty({ ...RATE, description: 'repeats ÷ received' })
  repeatRate: number | null;
}

export class RepeatsTotalsResponse implements RepeatsTotals {
  @ApiProperty({ ...COUNT, description: 'Orders received by the scope' })
  orders: number;

  @ApiProperty({ ...COUNT, description: 'Of those, repeat complaints' })
  repeats: number;

  @ApiProperty({ ...RATE, description: 'repeats ÷ orders' })
  repeatRate: number | null;
}

export class ReportHotspotResponse implements ReportHotspot {
  @ApiProperty({ type: 'integer', description: 'The hotspot (GET /api/hotspots/{id})' })
  hotspotId: number;

  @ApiProperty({ description: 'The title of its latest order' })
  title: string;

  @ApiProperty({ description: 'The address of its latest order' })
  address: string;

  @ApiProperty({ ...COUNT, description: 'Orders of the matter in the hotspot window' })
  memberCount: number;

  @ApiProperty({ ...COUNT, description: 'Different callers among them' })
  callerCount: number;

  @ApiProperty({ ...DATE_TIME, description: 'Its first order' })
  firstAt: string;

  @ApiProperty({ ...DATE_TIME, description: 'Its latest order' })
  lastAt: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The district of its latest order' })
  districtUnitId: number | null;
}

export class RepeatsReportResponse implements RepeatsReport {
  @ApiProperty({ type: ReportPeriodResponse, description: 'The period' })
  period: ReportPeriodResponse;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit whose subtree the report covers; null = the whole center' })
  scopeUnitId: number | null;

  @ApiProperty({ type: [RepeatsUnitRowResponse], description: 'Every unit of the scope, tree order, each rolled up over its subtree' })
  units: RepeatsUnitRowResponse[];

  @ApiProperty({ type: RepeatsTotalsResponse, description: 'The scope’s totals' })
  totals: RepeatsTotalsResponse;

  @ApiProperty({ type: [ReportHotspotResponse], description: 'Hotspots (多人反映) whose orders reach into the period, largest first (at most 100)' })
  hotspots: ReportHotspotResponse[];

  @ApiProperty({ ...DATE_TIME, description: 'When the report was computed' })
  generatedAt: string;
}

export class CallsTotalsResponse implements CallsTotals {
  @ApiProperty({ ...COUNT, description: 'Calls in the period' })
  calls: number;

  @ApiProperty({ ...COUNT, description: 'Of those, answered' })
  answered: number;

  @ApiProperty({ ...COUNT, description: 'Answered within 15 seconds' })
  answeredWithin15s: number;

  @ApiProperty({ ...COUNT, description: 'Abandoned before an answer' })
  abandoned: number;

  @ApiProperty({ ...RATE, description: 'answered ÷ calls' })
  answerRate: number | null;

  @ApiProperty({ ...RATE, description: 'answeredWithin15s ÷ calls' })
  within15sRate: number | null;
}

export class CallsDayResponse implements CallsDay {
  @ApiProperty({ format: 'date', example: '2026-11-02', description: 'The center’s day' })
  day: string;

  @ApiProperty({ ...COUNT, description: 'Calls' })
  calls: number;

  @ApiProperty({ ...COUNT, description: 'Answered' })
  answered: number;

  @ApiProperty({ ...COUNT, description: 'Abandoned' })
  abandoned: number;
}

export class CallsReportResponse implements CallsReport {
  @ApiProperty({ type: ReportPeriodResponse, description: 'The period' })
  period: ReportPeriodResponse;

  @ApiProperty({ description: 'false until telephony records calls: then totals is null and byDay empty ("no data yet" / 暂无数据)' })
  dataAvailable: boolean;

  @ApiProperty({ type: CallsTotalsResponse, nullable: true, description: 'The period’s figures; null without call data' })
  totals: CallsTotalsResponse | null;

  @ApiProperty({ type: [CallsDayResponse], description: 'Per day of the period (empty without call data)' })
  byDay: CallsDayResponse[];

  @ApiProperty({ ...DATE_TIME, description: 'When the report was computed' })
  generatedAt: string;
}

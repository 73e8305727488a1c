import type { Channel, RequestType } from '../work-orders/work-order.enums';
import type { ReportPeriod } from './report-period';

/**
 * The shapes of the reports (JSON of GET /api/reports/*). The controller's response DTOs (dto/) mirror these for
 * OpenAPI; the xlsx and PDF renderers (export/) and the console's reports page read them. Rates are fractions 0…1
 * (null when their denominator is 0: "no data", never 0 %); scores are points 0…100. Every formula: docs/reports.md.
 */

export interface AssessmentWeights {
  /** 响应率, 解决率, 满意率 weights as configured (ASSESSMENT_WEIGHTS); the score uses their shares of the sum. */
  response: number;
  resolution: number;
  satisfaction: number;
  /** What one 基本满意 counts as in the satisfaction rate (ASSESSMENT_BASICALLY_SATISFIED_WEIGHT). */
  basicallySatisfied: number;
}

export interface UnitRef {
  unitId: number;
  unitName: string;
  unitType: string;
  parentId: number | null;
  /** 0 for the report's top unit(s), +1 per level below. */
  depth: number;
}

/** One unit's figures for a period, its whole subtree rolled up (a leaf's are its own). */
export interface AssessmentFigures {
  received: number;
  respondedInTime: number;
  /** respondedInTime ÷ received. */
  responseRate: number | null;
  accepted: number;
  acceptedOnTime: number;
  /** acceptedOnTime ÷ accepted. */
  acceptedOnTimeRate: number | null;
  calledBack: number;
  resolvedAtCallback: number;
  /** resolvedAtCallback ÷ calledBack. */
  resolutionRate: number | null;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** (satisfied + weight × basicallySatisfied) ÷ calledBack. */
  satisfactionRate: number | null;
  /** 三率 composite, 0…100: the weighted mean of the three rates (null if any of them is null). */
  score: number | null;
  replied: number;
  repliedOnTime: number;
  /** repliedOnTime ÷ replied (按时办结率). */
  onTimeCompletionRate: number | null;
  /** Replies late in the period + orders due in the period still unreplied and overdue. */
  overdue: number;
  /** Working days late of the late replies (recorded lateness ÷ the working minutes of a day). */
  overdueWorkingDays: number;
  /** Return requests (退单) the unit made in the period, and how many the center approved. */
  returns: number;
  returnsApproved: number;
  /** returns ÷ (received + returnsApproved). */
  returnRate: number | null;
  closed: number;
  reopened: number;
  /** reopened ÷ closed. */
  reopenRate: number | null;
  /** Of the orders received: repeat complaints (重复件), with an approved extension, supervised (督办). */
  repeats: number;
  extensions: number;
  supervisions: number;
  /** Shirking flags (推诿扯皮) raised on the unit in the period. */
  shirkingFlags: number;
  closedCallbackRequired: number;
  closedCalledBack: number;
  /** closedCalledBack ÷ closedCallbackRequired (回访覆盖率). */
  callbackCoverage: number | null;
}

export interface AssessmentRow extends UnitRef, AssessmentFigures {
  /** Rank by score among the report's units of the same type (1 = best); null without a score. */
  rank: number | null;
  previousScore: number | null;
  previousRank: number | null;
  /** previousRank − rank: positive = moved up; null when either is missing. */
  rankChange: number | null;
}

export interface AssessmentReport {
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  weights: AssessmentWeights;
  /** The unit whose subtree the report covers; null = the whole center. */
  scopeUnitId: number | null;
  /** The scope's totals (every order of the scope once). */
  totals: AssessmentFigures;
  /** Every unit of the scope with figures, tree order (parent before children). */
  rows: AssessmentRow[];
  generatedAt: string;
}

/** An order in the overdue report. */
export interface OverdueOrderRow {
  workOrderId: number;
  number: string;
  title: string;
  leadUnitId: number | null;
  leadUnitName: string | null;
  status: string;
  replyDueAt: string | null;
  repliedAt: string | null;
  /** `open` = overdue and not replied at the period's end; `late` = replied (or closed) late within the period. */
  kind: 'open' | 'late';
  /** Working days late (at the period's end for `open`, as recorded for `late`), one decimal. */
  workingDaysLate: number;
  supervised: boolean;
  /** How the supervision ended: `replied` (the unit replied after it), `open` (still not replied), null when not supervised. */
  supervisionOutcome: 'replied' | 'open' | null;
}

export interface OverdueUnitRow extends UnitRef {
  open: number;
  late: number;
  workingDaysLate: number;
  supervised: number;
}

export interface OverdueReport {
  period: ReportPeriod;
  scopeUnitId: number | null;
  units: OverdueUnitRow[];
  /** The orders, most days late first; at most `limit` of them (`truncated` says when more). */
  orders: OverdueOrderRow[];
  truncated: boolean;
  generatedAt: string;
}

export interface ShirkingUnitRow extends UnitRef {
  received: number;
  returns: number;
  returnsApproved: number;
  returnsRejected: number;
  returnRate: number | null;
  /** Orders that came back to the unit after it returned them (bounced). */
  flags: number;
  /** Replies of the unit that failed callback (unresolved / dissatisfied). */
  failedCallbacks: number;
}

export interface ShirkingReport {
  period: ReportPeriod;
  scopeUnitId: number | null;
  /** Units by return rate, highest first. */
  units: ShirkingUnitRow[];
  /** Flags raised in the period by rule (docs/shirking.md). */
  flagsByRule: { rule: string; count: number; resolved: number }[];
  /** 争议件 raised and 裁定 (rulings) made in the period. */
  disputes: { raised: number; ruled: number };
  /** The orders returned most often in the period. */
  mostReturned: { workOrderId: number; number: string; title: string; returns: number; units: string[] }[];
  generatedAt: string;
}

export interface RepeatsReport {
  period: ReportPeriod;
  scopeUnitId: number | null;
  /** Repeat complaints (重复件) registered in the period, by lead unit. */
  units: (UnitRef & { received: number; repeats: number; repeatRate: number | null })[];
  totals: { orders: number; repeats: number; repeatRate: number | null };
  /** Hotspots (多人反映) that formed or grew in the period, largest first. */
  hotspots: { hotspotId: number; title: string; address: string; memberCount: number; callerCount: number; firstAt: string; lastAt: string; districtUnitId: number | null }[];
  generatedAt: string;
}

export interface CallsReport {
  period: ReportPeriod;
  /** false until telephony (the cti module) records calls: the report then says "no data yet" instead of figures. */
  dataAvailable: boolean;
  totals: { calls: number; answered: number; answeredWithin15s: number; abandoned: number; answerRate: number | null; within15sRate: number | null } | null;
  byDay: { day: string; calls: number; answered: number; abandoned: number }[];
  generatedAt: string;
}

/** The center's intake in a period: the bulletin's volume charts. */
export interface VolumeSummary {
  period: ReportPeriod;
  total: number;
  byChannel: { channel: Channel; count: number }[];
  byRequestType: { requestType: RequestType; count: number }[];
}

export type ReportName = 'assessment' | 'overdue' | 'shirking' | 'repeats' | 'calls';

/** A stored monthly bulletin (GET /api/reports/bulletins). */
export interface BulletinView {
  id: number;
  month: string;
  status: 'generating' | 'ready' | 'failed';
  trigger: 'schedule' | 'manual';
  generatedAt: string | null;
  sizeBytes: number | null;
  /** GET this to download the PDF (null until ready). */
  downloadUrl: string | null;
  error: string | null;
}

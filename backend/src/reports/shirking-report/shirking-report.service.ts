import { Injectable } from '@nestjs/common';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { SHIRKING_RULES } from '../../shirking/shirking.enums';
import { UnitsService } from '../../units/units.service';
import { AssessmentService } from '../assessment/assessment.service';
import { periodInstants, type ReportPeriod } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { ShirkingReport, ShirkingUnitRow } from '../report-views';
import { rolledUp, scopeUnits } from '../overdue/report-units';
import { ShirkingReportRepository, type ReportRange } from './shirking-report.repository';

/** How many of the most returned orders the report lists. */
export const MOST_RETURNED_ORDERS = 20;

/**
 * 推诿扯皮 report (docs/report-definitions.md): per unit of the scope (rolled up over its subtree) the return requests
 * of the period and their decisions, the return rate against the orders it received (the assessment's figure), the
 * bounces and the failed callbacks; the flags raised by rule; disputes raised and ruled; the most returned orders.
 */
@Injectable()
export class ShirkingReportService {
  constructor(
    private readonly repository: ShirkingReportRepository,
    private readonly assessments: AssessmentService,
    private readonly units: UnitsService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
  ) {}

  async report(period: ReportPeriod, scope: ReportScope): Promise<ShirkingReport> {
    const calendar = await this.calendars.current();
    const instants = periodInstants(period, calendar.timeZone);
    const range: ReportRange = { start: instants.start, end: instants.end };
    const [assessment, rows, returns, failedCallbacks, flags, raised, ruled, mostReturned] = await Promise.all([
      this.assessments.assessment(period, scope),
      scopeUnits(this.units, scope),
      this.repository.returnsByUnit(range, scope),
      this.repository.failedCallbacksByUnit(range, scope),
      this.repository.flagsByUnitAndRule(range, scope),
      this.repository.disputesRaised(range, scope),
      this.repository.rulings(range, scope),
      this.repository.mostReturned(range, scope, MOST_RETURNED_ORDERS),
    ]);
    const received = new Map(assessment.rows.map((row) => [row.unitId, row.received]));
    const perUnit = { returns: new Map<number, number>(), approved: new Map<number, number>(), rejected: new Map<number, number>(), bounced: new Map<number, number>() };
    const add = (map: Map<number, number>, unitId: number, amount: number) => map.set(unitId, (map.get(unitId) ?? 0) + amount);
    for (const row of returns) {
      add(perUnit.returns, row.unitId, row.count);
      if (row.decision === 'approved') add(perUnit.approved, row.unitId, row.count);
      if (row.decision === 'rejected') add(perUnit.rejected, row.unitId, row.count);
    }
    for (const flag of flags) if (flag.rule === 'bounced' && flag.unitId !== null) add(perUnit.bounced, flag.unitId, flag.count);
    const units: ShirkingUnitRow[] = rows.map((unit) => {
      const unitReturns = rolledUp(unit, perUnit.returns);
      const returnsApproved = rolledUp(unit, perUnit.approved);
      const unitReceived = received.get(unit.ref.unitId) ?? 0;
      const denominator = unitReceived + returnsApproved;
      return {
        ...unit.ref,
        received: unitReceived,
        returns: unitReturns,
        returnsApproved,
        returnsRejected: rolledUp(unit, perUnit.rejected),
        returnRate: denominator === 0 ? null : unitReturns / denominator,
        flags: rolledUp(unit, perUnit.bounced),
        failedCallbacks: rolledUp(unit, failedCallbacks),
      };
    });
    // Highest return rate first; units without a rate last; then more returns first; then tree order (a stable sort).
    units.sort((a, b) => (b.returnRate ?? -1) - (a.returnRate ?? -1) || b.returns - a.returns);
    const names = new Map<number, string>();
    for (const id of new Set(mostReturned.flatMap((order) => order.unitIds))) names.set(id, (await this.units.find(id))?.name ?? `#${id}`);
    return {
      period,
      scopeUnitId: scope.unitId,
      units,
      flagsByRule: SHIRKING_RULES.map((rule) => {
        const ofRule = flags.filter((flag) => flag.rule === rule);
        return { rule, count: ofRule.reduce((sum, flag) => sum + flag.count, 0), resolved: ofRule.reduce((sum, flag) => sum + flag.resolved, 0) };
      }),
      disputes: { raised, ruled },
      mostReturned: mostReturned.map((order) => ({
        workOrderId: order.workOrderId,
        number: order.number,
        title: order.title,
        returns: order.returns,
        units: order.unitIds.map((id) => names.get(id) ?? `#${id}`),
      })),
      generatedAt: this.clock.now().toISOString(),
    };
  }
}

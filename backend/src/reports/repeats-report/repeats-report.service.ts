import { Injectable } from '@nestjs/common';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { AssessmentService } from '../assessment/assessment.service';
import { periodInstants, type ReportPeriod } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { RepeatsReport } from '../report-views';
import { RepeatsReportRepository } from './repeats-report.repository';

/** The most hotspots the report lists (the largest). */
export const REPORTED_HOTSPOTS = 100;

/**
 * 重复件与多人反映 report (docs/report-definitions.md): per unit of the scope the orders received and the repeat
 * complaints among them (the assessment's figures, rolled up over each subtree), the scope's totals, and the hotspots
 * whose orders reach into the period, largest first.
 */
@Injectable()
export class RepeatsReportService {
  constructor(
    private readonly repository: RepeatsReportRepository,
    private readonly assessments: AssessmentService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
  ) {}

  async report(period: ReportPeriod, scope: ReportScope): Promise<RepeatsReport> {
    const { start, end } = periodInstants(period, (await this.calendars.current()).timeZone);
    const [assessment, hotspots] = await Promise.all([this.assessments.assessment(period, scope), this.repository.hotspotsBetween(start, end, scope, REPORTED_HOTSPOTS)]);
    const rate = (repeats: number, received: number) => (received === 0 ? null : repeats / received);
    return {
      period,
      scopeUnitId: scope.unitId,
      units: assessment.rows.map((row) => ({
        unitId: row.unitId,
        unitName: row.unitName,
        unitType: row.unitType,
        parentId: row.parentId,
        depth: row.depth,
        received: row.received,
        repeats: row.repeats,
        repeatRate: rate(row.repeats, row.received),
      })),
      totals: { orders: assessment.totals.received, repeats: assessment.totals.repeats, repeatRate: rate(assessment.totals.repeats, assessment.totals.received) },
      hotspots: hotspots.map((hotspot) => ({
        hotspotId: hotspot.id,
        title: hotspot.title,
        address: hotspot.address,
        memberCount: hotspot.memberCount,
        callerCount: hotspot.callerCount,
        firstAt: hotspot.firstAt.toISOString(),
        lastAt: hotspot.lastAt.toISOString(),
        districtUnitId: hotspot.districtUnitId,
      })),
      generatedAt: this.clock.now().toISOString(),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { UnitsService } from '../../units/units.service';
import { periodInstants, type ReportPeriod } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { OverdueOrderRow, OverdueReport, OverdueUnitRow } from '../report-views';
import { OverdueReportRepository, type OverdueCandidate } from './overdue-report.repository';
import { oneDecimal } from './report-sql';
import { rolledUp, scopeUnits } from './report-units';

/** The most orders the report lists unless asked for another number (the units' figures count them all). */
export const OVERDUE_ORDER_LIMIT = 1000;

interface CountedOrder {
  candidate: OverdueCandidate;
  kind: 'open' | 'late';
  lateMinutes: number;
}

/**
 * 超期 report (docs/report-definitions.md): for a period,
 * - `open`: orders overdue and not replied at the period's end (capped at now): reply due before it, replied never
 *   or only at or after it; working days late = the working minutes from the deadline to that end;
 * - `late`: orders replied in the period after their deadline; working days late = the lateness recorded at the reply.
 * Per unit of the scope (each rolled up over its subtree) and the orders themselves, most days late first.
 */
@Injectable()
export class OverdueReportService {
  constructor(
    private readonly repository: OverdueReportRepository,
    private readonly units: UnitsService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
  ) {}

  async report(period: ReportPeriod, scope: ReportScope, limit = OVERDUE_ORDER_LIMIT): Promise<OverdueReport> {
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const instants = periodInstants(period, calendar.timeZone);
    const end = new Date(Math.min(instants.end.getTime(), now.getTime()));
    const minutesPerDay = calendar.settings.officeMinutesPerDay;
    const [unrepliedNow, repliedAfterEnd, repliedLate, rows] = await Promise.all([
      this.repository.unrepliedDueBefore(end, scope),
      this.repository.repliedSinceDueBefore(end, scope),
      this.repository.repliedLateBetween(instants.start, end, scope),
      scopeUnits(this.units, scope),
    ]);
    const counted: CountedOrder[] = [
      ...[...unrepliedNow, ...repliedAfterEnd].map((candidate) => ({ candidate, kind: 'open' as const, lateMinutes: calendar.workingMinutesBetween(candidate.replyDueAt, end) })),
      ...repliedLate.map((candidate) => ({ candidate, kind: 'late' as const, lateMinutes: candidate.replyLateMinutes ?? 0 })),
    ];
    const perUnit = {
      open: new Map<number, number>(),
      late: new Map<number, number>(),
      minutes: new Map<number, number>(),
      supervised: new Map<number, number>(),
    };
    const add = (map: Map<number, number>, unitId: number, amount: number) => map.set(unitId, (map.get(unitId) ?? 0) + amount);
    for (const { candidate, kind, lateMinutes } of counted) {
      add(kind === 'open' ? perUnit.open : perUnit.late, candidate.leadUnitId, 1);
      add(perUnit.minutes, candidate.leadUnitId, lateMinutes);
      if (candidate.supervised) add(perUnit.supervised, candidate.leadUnitId, 1);
    }
    const units: OverdueUnitRow[] = rows.map((unit) => ({
      ...unit.ref,
      open: rolledUp(unit, perUnit.open),
      late: rolledUp(unit, perUnit.late),
      workingDaysLate: oneDecimal(rolledUp(unit, perUnit.minutes) / minutesPerDay),
      supervised: rolledUp(unit, perUnit.supervised),
    }));
    const ordered = counted.sort((a, b) => b.lateMinutes - a.lateMinutes || a.candidate.id - b.candidate.id);
    const orders = await Promise.all(ordered.slice(0, limit).map((order) => this.orderRow(order, minutesPerDay)));
    return { period, scopeUnitId: scope.unitId, units, orders, truncated: ordered.length > limit, generatedAt: now.toISOString() };
  }

  private async orderRow({ candidate, kind, lateMinutes }: CountedOrder, minutesPerDay: number): Promise<OverdueOrderRow> {
    return {
      workOrderId: candidate.id,
      number: candidate.number,
      title: candidate.title,
      leadUnitId: candidate.leadUnitId,
      leadUnitName: (await this.units.find(candidate.leadUnitId))?.name ?? null,
      status: candidate.status,
      replyDueAt: candidate.replyDueAt.toISOString(),
      repliedAt: candidate.repliedAt?.toISOString() ?? null,
      kind,
      workingDaysLate: oneDecimal(lateMinutes / minutesPerDay),
      supervised: candidate.supervised,
      // 督办: the unit replied after the supervision (at any time since), or has still not replied.
      supervisionOutcome: candidate.supervised ? (candidate.repliedAt !== null ? 'replied' : 'open') : null,
    };
  }
}

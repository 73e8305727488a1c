import { Injectable } from '@nestjs/common';
import { parseLocalDate, DAY_MS } from '../../calendar/local-date';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { periodDays, type ReportPeriod } from '../report-period';
import type { CallsReport } from '../report-views';
import { CallsReportRepository } from './calls-report.repository';

/**
 * 话务 report: calls, answered, answered within 15 s, abandoned — per period and per day.
 *
 * The calls are those the cti module records (`calls`, from the SIP bridge's or a PBX's CTI events; docs/cti.md). Until
 * telephony has recorded a single call the report says "no data yet" (dataAvailable false, totals null, no days) and the
 * console and the bulletin print 暂无数据 instead of figures.
 */
@Injectable()
export class CallsReportService {
  constructor(
    private readonly clock: Clock,
    private readonly repository: CallsReportRepository,
    private readonly calendars: WorkingCalendarService,
  ) {}

  async report(period: ReportPeriod): Promise<CallsReport> {
    const counted = await this.countCalls(period);
    if (counted === null) return { period, dataAvailable: false, totals: null, byDay: [], generatedAt: this.clock.now().toISOString() };
    const total = <K extends 'calls' | 'answered' | 'abandoned'>(key: K) => counted.byDay.reduce((sum, day) => sum + day[key], 0);
    const calls = total('calls');
    const answered = total('answered');
    return {
      period,
      dataAvailable: true,
      totals: {
        calls,
        answered,
        answeredWithin15s: counted.answeredWithin15s,
        abandoned: total('abandoned'),
        answerRate: calls === 0 ? null : answered / calls,
        within15sRate: calls === 0 ? null : counted.answeredWithin15s / calls,
      },
      byDay: counted.byDay,
      generatedAt: this.clock.now().toISOString(),
    };
  }

  /**
   * The inbound calls of the period, per center day (every day of the period, zeros included: one indexed range each)
   * and the answered-within-15-s total; null while telephony has recorded no call at all.
   */
  private async countCalls(period: ReportPeriod): Promise<{ byDay: CallsReport['byDay']; answeredWithin15s: number } | null> {
    if (!(await this.repository.anyCallRecorded())) return null;
    const zone = (await this.calendars.current()).timeZone;
    const byDay: CallsReport['byDay'] = [];
    let answeredWithin15s = 0;
    for (const day of periodDays(period)) {
      const start = new Date(zone.toUtcMs(parseLocalDate(day) * DAY_MS));
      const end = new Date(zone.toUtcMs((parseLocalDate(day) + 1) * DAY_MS));
      const counts = await this.repository.countInbound(start, end);
      byDay.push({ day, calls: counts.calls, answered: counts.answered, abandoned: counts.abandoned });
      answeredWithin15s += counts.answeredWithin15s;
    }
    return { byDay, answeredWithin15s };
  }
}

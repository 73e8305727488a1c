import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DAY_MS, HOUR_MS } from '../../calendar/local-date';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { localDateOf } from '../report-period';
import { BulletinsService } from './bulletins.service';
import { isFirstWorkingDayOfMonth, monthBefore } from './first-working-day';

/** What one tick of the monthly job did. */
export type BulletinTick =
  | { action: 'none'; reason: 'not-first-working-day' | 'before-hour' }
  | { action: 'generated' | 'left-to-another'; month: string; status: string };

/**
 * 月通报 on schedule: every hour, when BULLETIN_SCHEDULE is on, if today (center time) is the first working day of
 * the month and the hour has reached BULLETIN_HOUR, the bulletin of the month before is generated — once across all
 * instances (BulletinsService.generateMonth); a failed attempt is retried at the next hour of that day.
 */
@Injectable()
export class BulletinScheduleService {
  private readonly logger = new Logger(BulletinScheduleService.name);

  constructor(
    private readonly bulletins: BulletinsService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** At minute 7 of every hour (away from the jobs on the hour). */
  @Cron('0 7 * * * *', { name: 'monthly-bulletin' })
  async runScheduled(): Promise<void> {
    if (!this.config.reports.bulletinSchedule) return;
    try {
      await this.tick();
    } catch (error) {
      // The next hour tries again; a failed run must not become an unhandled rejection.
      this.logger.error(`The monthly bulletin job failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One pass at the clock's time (tests call it directly with a set Clock). */
  async tick(): Promise<BulletinTick> {
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const today = localDateOf(now, calendar.timeZone);
    if (!isFirstWorkingDayOfMonth(today, (date) => calendar.isWorkingDay(date))) return { action: 'none', reason: 'not-first-working-day' };
    const hour = Math.floor((((calendar.timeZone.toLocalMs(now.getTime()) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    if (hour < this.config.reports.bulletinHour) return { action: 'none', reason: 'before-hour' };
    const month = monthBefore(today);
    const outcome = await this.bulletins.generateMonth(month, 'schedule');
    return { action: outcome.generated ? 'generated' : 'left-to-another', month, status: outcome.bulletin.status };
  }
}

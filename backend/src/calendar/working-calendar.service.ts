import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS } from '../cluster/invalidated-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CalendarOverridesRepository } from './calendar-overrides.repository';
import { WorkingCalendar } from './working-calendar';

/** How long an instance trusts its copy of the override table before its next use re-reads it. */
export const CALENDAR_REFRESH_MS = 30_000;

/**
 * The process's one WorkingCalendar (CENTER_TIMEZONE, OFFICE_HOURS), with the override table loaded from the
 * database at start-up and after every change made through this instance.
 *
 * Several processes and nodes: a change publishes `cache.calendar` on the ClusterBus once committed, and every other
 * process marks its copy stale, so its next `current()` re-reads the table; should that message be lost, the copy is
 * re-read at the latest CALENDAR_REFRESH_MS later anyway, because `current()` re-reads the whole table when its copy
 * is older than that. The table is small (a few dozen
 * rows a year), so re-reading it whole is as cheap as comparing a stamp and, unlike COUNT/MAX(updatedAt), cannot
 * miss a delete followed by an insert. Reloads are numbered: an older read that finishes after a newer one is dropped.
 */
@Injectable()
export class WorkingCalendarService implements OnModuleInit {
  private readonly logger = new Logger(WorkingCalendarService.name);
  /** Mutable so that tests can make every use re-read (0), as after a change on another instance. */
  refreshIntervalMs = CALENDAR_REFRESH_MS;
  private readonly workingCalendar: WorkingCalendar;
  /** performance.now() when the applied copy was read (monotonic: a moved wall clock or test Clock does not matter). */
  private loadedAt = Number.NEGATIVE_INFINITY;
  private reloadsStarted = 0;
  private reloadApplied = 0;
  private pendingRefresh: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly overrides: CalendarOverridesRepository,
    @Optional() private readonly bus?: ClusterBus,
  ) {
    this.workingCalendar = new WorkingCalendar({ timeZone: config.centerTimeZone, officeHours: config.officeHours });
    bus?.subscribe(CACHE_CHANNELS.calendar, () => (this.loadedAt = Number.NEGATIVE_INFINITY));
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.logger.log(`Working calendar: ${this.workingCalendar.settings.officeHours.join(', ')} ${this.workingCalendar.timeZone.name}, ${this.workingCalendar.overrides().length} overrides`);
  }

  /** The calendar as last loaded, without touching the database (may be up to CALENDAR_REFRESH_MS behind another instance's change). */
  get calendar(): WorkingCalendar {
    return this.workingCalendar;
  }

  /** The calendar, after re-reading the override table when this instance's copy is older than the refresh interval. */
  async current(): Promise<WorkingCalendar> {
    if (performance.now() - this.loadedAt >= this.refreshIntervalMs) {
      this.pendingRefresh ??= this.reload()
        // A failed re-read keeps the copy it has (the next use tries again): deadlines should not fail because the
        // database hiccupped, and a copy a little older is what every instance works with between re-reads anyway.
        .catch((error: unknown) => this.logger.warn(`Could not re-read the calendar overrides, keeping the loaded copy: ${(error as Error).message}`))
        .finally(() => {
          this.pendingRefresh = null;
        });
      await this.pendingRefresh;
    }
    return this.workingCalendar;
  }

  /**
   * After a committed change: tell every process, and re-read now. Should that fail, the change stands anyway (it is committed), and the
   * copy is marked stale so that the next use re-reads it.
   */
  async reloadAfterChange(): Promise<void> {
    // The other processes mark their copies stale (so does this one, and reloads right away below).
    this.bus?.publish(CACHE_CHANNELS.calendar);
    try {
      await this.reload();
    } catch (error) {
      this.loadedAt = Number.NEGATIVE_INFINITY;
      this.logger.warn(`Could not re-read the calendar overrides after a change; the next use will: ${(error as Error).message}`);
    }
  }

  /** Re-reads the whole override table now; call it after a change has been committed. */
  async reload(): Promise<void> {
    const ticket = ++this.reloadsStarted;
    const startedAt = performance.now();
    const rows = await this.overrides.findAll();
    // A reload that started later has already applied a newer (or the same) table.
    if (ticket < this.reloadApplied) return;
    this.workingCalendar.replaceOverrides(rows.map(({ date, kind, name, note }) => ({ date, kind, name, note })));
    this.reloadApplied = ticket;
    this.loadedAt = startedAt;
  }
}

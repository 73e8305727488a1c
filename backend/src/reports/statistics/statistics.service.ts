import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron, SchedulerRegistry } from '@nestjs/schedule';
import type { EntityManager } from 'typeorm';
import { DAY_MS, formatLocalDate, parseLocalDate } from '../../calendar/local-date';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { TransactionService } from '../../database/transaction.service';
import { localDateOf, periodInstants } from '../report-period';
import { directFiguresByUnit } from './direct-figures';
import { accumulate, nonZeroRows, orderContributions, sameSnapshot, statSnapshotOf, type Contributions, type StatOrderRow, type StatSnapshot } from './order-contributions';
import { StatisticsRepository } from './statistics.repository';
import { UNIT_DAY_METRICS, type UnitDayFigures } from './unit-day-stat.entity';

/** The statistics_cursors row of this job. */
export const STATISTICS_CURSOR = 'unit-day-stats';
/** @nestjs/schedule names (cluster/once-per-node-jobs.ts). */
export const STATISTICS_INTERVAL_NAME = 'report-statistics';
export const STATISTICS_CHECK_CRON_NAME = 'report-statistics-check';
/** Timeline rows read per transaction. */
const EVENT_BATCH = 5_000;
/**
 * Ids read again below the cursor on every run: an event whose id was taken before the cursor's but that committed
 * after the last run would otherwise be skipped. Re-diffing an order that did not change is a no-op.
 */
export const OVERLAP_EVENTS = 2_000;
/**
 * The overlap of the catch-up a report runs before it reads: only the newest events (a report must see the change just
 * made); stragglers further back are the scheduled run's (OVERLAP_EVENTS, every STATISTICS_INTERVAL), so a busy center
 * does not re-diff 2,000 orders on every report request.
 */
export const REPORT_OVERLAP_EVENTS = 100;
/**
 * Orders per transaction of a rebuild. Large: each batch adds to every (day, unit) row its orders' times fall on (the
 * dispatch days and the following days of acceptance, reply, callback), so fewer batches mean far fewer upserts.
 */
const REBUILD_BATCH = 50_000;
/** Days the nightly check compares (today included). */
export const CHECK_DAYS = 7;
/** The check runs at hh:30 of this hour, center time. */
const CHECK_HOUR = 3;

export interface StatisticsDifference {
  day: string;
  unitId: number;
  metric: string;
  statistics: number;
  direct: number;
}

/**
 * Keeps unit_day_stats in step with the orders (docs/reports.md "Daily statistics"): folds the timeline's changes
 * in (catchUp, every STATISTICS_INTERVAL and before every report), rebuilds from all orders, and checks the last days
 * against a direct GROUP BY every night, repairing what differs. Every write happens in a transaction that holds the
 * cursor row, so several instances never apply the same change twice.
 */
@Injectable()
export class StatisticsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StatisticsService.name);
  private cursorReady = false;
  private scheduledRun: Promise<unknown> | null = null;

  constructor(
    private readonly repository: StatisticsRepository,
    private readonly transactions: TransactionService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.reports.statisticsIntervalSeconds;
    if (seconds > 0) this.scheduler.addInterval(STATISTICS_INTERVAL_NAME, setInterval(() => void this.scheduledCatchUp(), seconds * 1000));
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', STATISTICS_INTERVAL_NAME)) this.scheduler.deleteInterval(STATISTICS_INTERVAL_NAME);
  }

  /**
   * Folds every timeline change not yet counted into the daily statistics. Returns how many orders it re-read.
   * Exactly once with several instances: each batch is one transaction holding the cursor row.
   */
  async catchUp(options: { overlap?: number } = {}): Promise<{ orders: number; events: number }> {
    const overlapEvents = options.overlap ?? OVERLAP_EVENTS;
    await this.ensureCursor();
    let first = true;
    let orders = 0;
    let events = 0;
    for (;;) {
      const batch = await this.transactions.run(async (manager) => {
        const last = await this.repository.lockCursor(manager, STATISTICS_CURSOR);
        const overlap = first ? Math.min(last, overlapEvents) : 0;
        const limit = EVENT_BATCH + overlap;
        const rows = await this.repository.eventsAfter(manager, last - overlap, limit);
        if (rows.length === 0) return { done: true, orders: 0, events: 0 };
        const ids = [...new Set(rows.map((row) => row.workOrderId))].sort((a, b) => a - b);
        await this.refresh(manager, ids, await this.repository.orders(manager, ids));
        const newest = rows[rows.length - 1].id;
        if (newest > last) await this.repository.setCursor(manager, STATISTICS_CURSOR, newest, this.clock.now());
        return { done: rows.length < limit, orders: ids.length, events: rows.filter((row) => row.id > last).length };
      });
      first = false;
      orders += batch.orders;
      events += batch.events;
      if (batch.done) return { orders, events };
    }
  }

  /**
   * Recomputes the statistics from every order (a fresh install, after a bulk load): empties them, moves the cursor to
   * the newest event, then re-reads all orders by id in batches through the same code as catchUp.
   */
  async rebuild(batchSize = REBUILD_BATCH): Promise<{ orders: number }> {
    await this.ensureCursor();
    await this.transactions.run(async (manager) => {
      await this.repository.lockCursor(manager, STATISTICS_CURSOR);
      await this.repository.clearAll(manager);
      await this.repository.setCursor(manager, STATISTICS_CURSOR, await this.repository.maxEventId(manager), this.clock.now());
    });
    let after = 0;
    let orders = 0;
    for (;;) {
      const count = await this.transactions.run(async (manager) => {
        await this.repository.lockCursor(manager, STATISTICS_CURSOR);
        const rows = await this.repository.ordersAfter(manager, after, batchSize);
        if (rows.length === 0) return 0;
        await this.refresh(manager, rows.map((row) => row.id), rows);
        after = rows[rows.length - 1].id;
        return rows.length;
      });
      orders += count;
      if (count < batchSize) return { orders };
    }
  }

  /**
   * Compares the statistics of the last `days` local days with the direct GROUP BY over work_orders; a day that
   * differs is repaired (its orders re-read; should it still differ, the day's rows are replaced by the direct figures)
   * and every difference is logged. Returns the differences found (before the repair).
   */
  async check(days = CHECK_DAYS): Promise<StatisticsDifference[]> {
    await this.ensureCursor();
    const zone = this.calendars.calendar.timeZone;
    const today = parseLocalDate(localDateOf(this.clock.now(), zone));
    const found: StatisticsDifference[] = [];
    for (let offset = days - 1; offset >= 0; offset--) {
      const day = formatLocalDate(today - offset);
      const range = periodInstants({ from: day, to: day }, zone);
      const differences = await this.transactions.run(async (manager) => {
        await this.repository.lockCursor(manager, STATISTICS_CURSOR);
        const before = differencesOf(day, await this.repository.dayStats(manager, day), await directFiguresByUnit(manager, range, null));
        if (before.length === 0) return before;
        const ids = await this.repository.orderIdsTouching(manager, range);
        await this.refresh(manager, ids, await this.repository.orders(manager, ids));
        const direct = await directFiguresByUnit(manager, range, null);
        if (differencesOf(day, await this.repository.dayStats(manager, day), direct).length > 0) await this.repository.replaceDay(manager, day, direct);
        return before;
      });
      for (const difference of differences) {
        this.logger.warn(`Daily statistics differed from the orders and were repaired: ${difference.day} unit ${difference.unitId} ${difference.metric} ${difference.statistics} ≠ ${difference.direct}`);
      }
      found.push(...differences);
    }
    return found;
  }

  /** Every hour at :30; the check itself runs at CHECK_HOUR center time (the zone is configuration, a cron pattern is not). */
  @Cron('0 30 * * * *', { name: STATISTICS_CHECK_CRON_NAME })
  async scheduledCheck(): Promise<void> {
    const zone = this.calendars.calendar.timeZone;
    const localHour = Math.floor((zone.toLocalMs(this.clock.now().getTime()) % DAY_MS) / 3_600_000);
    if (localHour !== CHECK_HOUR) return;
    try {
      const differences = await this.check();
      this.logger.log(`Daily statistics check: ${differences.length === 0 ? 'in step with the orders' : `${differences.length} differences repaired`}`);
    } catch (error) {
      this.logger.error(`Daily statistics check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async scheduledCatchUp(): Promise<void> {
    if (this.scheduledRun) return;
    try {
      this.scheduledRun = this.catchUp();
      await this.scheduledRun;
    } catch (error) {
      this.logger.error(`Daily statistics catch-up failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.scheduledRun = null;
    }
  }

  private async ensureCursor(): Promise<void> {
    if (this.cursorReady) return;
    await this.transactions.run((manager) => this.repository.ensureCursor(manager, STATISTICS_CURSOR));
    this.cursorReady = true;
  }

  /**
   * Diffs the orders' current rows with their stored snapshots, adds the difference to unit_day_stats and stores the
   * new snapshots. `ids` may name orders `rows` lacks (they count nothing now).
   */
  private async refresh(manager: EntityManager, ids: readonly number[], rows: readonly StatOrderRow[]): Promise<void> {
    if (ids.length === 0) return;
    const zone = this.calendars.calendar.timeZone;
    const current = new Map(rows.map((row) => [row.id, statSnapshotOf(row)]));
    const stored = await this.repository.facts(manager, ids);
    const delta: Contributions = new Map();
    const changed: { workOrderId: number; snapshot: StatSnapshot | null }[] = [];
    for (const id of ids) {
      const before = stored.get(id) ?? null;
      const after = current.get(id) ?? null;
      if (sameSnapshot(before, after)) continue;
      accumulate(delta, orderContributions(before, zone), -1);
      accumulate(delta, orderContributions(after, zone), 1);
      changed.push({ workOrderId: id, snapshot: after });
    }
    if (changed.length === 0) return;
    await this.repository.addToStats(manager, nonZeroRows(delta));
    await this.repository.replaceFacts(manager, changed, new Set(stored.keys()));
  }
}

function differencesOf(day: string, statistics: Map<number, UnitDayFigures>, direct: Map<number, UnitDayFigures>): StatisticsDifference[] {
  const out: StatisticsDifference[] = [];
  const units = [...new Set([...statistics.keys(), ...direct.keys()])].sort((a, b) => a - b);
  for (const unitId of units) {
    for (const metric of UNIT_DAY_METRICS) {
      const a = statistics.get(unitId)?.[metric] ?? 0;
      const b = direct.get(unitId)?.[metric] ?? 0;
      if (a !== b) out.push({ day, unitId, metric, statistics: a, direct: b });
    }
  }
  return out;
}

/**
 * `npm run bench:reports`: the monthly assessment (考核) of every unit over the daily statistics, against the same
 * figures computed by a direct GROUP BY over the orders table (issue 11, "Performance").
 *
 * 1. Creates a scratch database on BENCH_MYSQL_URL or TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test),
 *    migrates it and seeds the demo organisation through the real application, adds units up to BENCH_UNITS (300) and
 *    bulk-loads BENCH_ORDERS (5,000,000) orders over the twelve months before now, with their lifecycle, returns and
 *    shirking flags (assessment-load.ts).
 * 2. Builds the daily statistics with StatisticsService.rebuild() (the same code that keeps them in step), timed.
 * 3. Times AssessmentService.assessment() for the last whole month and every unit (its previous month, for the
 *    ranking change, included) over the statistics, and the same report with `source: 'orders'` (the direct GROUP BY
 *    over work_orders), BENCH_RUNS (5) and at most 3 times (median); prints both, the ratio, and whether every figure is identical.
 * 4. Drops the scratch database unless BENCH_KEEP=1 (BENCH_DATABASE=<name> measures again on a kept one, no load).
 *
 * Targets: the statistics path ≤ 1 s, ≥ 10× faster than the direct query, identical numbers.
 * Environment: BENCH_ORDERS, BENCH_UNITS, BENCH_RUNS (5), BENCH_BUFFER_POOL_MB (see order-generator.ts), BENCH_KEEP, BENCH_DATABASE,
 * BENCH_REBUILD=1 (with BENCH_DATABASE: rebuild the statistics again, timed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { dropMysqlDatabase, openBenchDatabase } from '../../database/cli/mysql-scratch';
import { DemoDataService } from '../../demo-data/demo-data.service';
// A benchmark is an entry point: it borrows the lists benchmark's helpers (env numbers, buffer pool, log).
import { envNumber, log, sizeBufferPool } from '../../work-orders/bench/order-generator';
import { AssessmentService } from '../assessment/assessment.service';
import { monthPeriod, type ReportPeriod } from '../report-period';
import type { AssessmentReport } from '../report-views';
import { StatisticsService } from '../statistics/statistics.service';
import { addUnits, loadOrders } from './assessment-load';

const ORDERS = envNumber('BENCH_ORDERS', 5_000_000);
const UNITS = envNumber('BENCH_UNITS', 300);
const RUNS = Math.max(1, envNumber('BENCH_RUNS', 5));
const DIRECT_RUNS = Math.min(RUNS, 3);
const SPAN_DAYS = 365;
const TARGET_MS = 1_000;
const TARGET_RATIO = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The last whole month before `now` (UTC month; the center's days of it are what the period covers). */
function lastWholeMonth(now: number): ReportPeriod {
  const date = new Date(now);
  const year = date.getUTCMonth() === 0 ? date.getUTCFullYear() - 1 : date.getUTCFullYear();
  const month = date.getUTCMonth() === 0 ? 12 : date.getUTCMonth();
  return monthPeriod(`${year}-${String(month).padStart(2, '0')}`);
}

/** The report without its generation time: what must be identical. */
function figuresOf(report: AssessmentReport): Omit<AssessmentReport, 'generatedAt'> {
  const { generatedAt: _ignored, ...rest } = report;
  return rest;
}

/** The first figure that differs, for the message (null: identical). */
function firstDifference(a: unknown, b: unknown, path = 'report'): string | null {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

async function main(): Promise<void> {
  process.env.ESCALATION_TICK_SECONDS = '0'; // the deadline tick would change orders under the measurement
  const scratch = await openBenchDatabase('jiesu_bench_reports');
  const { server, reused, keep } = scratch;
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-bench-'));
  const sql = await createConnection({ uri: scratch.url, timezone: 'Z' });
  let app: INestApplication | null = null;
  let restoreBufferPool: (() => Promise<void>) | null = null;
  let failed = false;
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      REPORTS_DIR: join(directory, 'reports'),
      BULLETIN_SCHEDULE: 'off',
      // The measurement calls catchUp itself (through the report); no timer in between.
      STATISTICS_INTERVAL: '0s',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'never',
      CONSOLE_DIR: join(directory, 'no-console'),
      DATA_DIR: join(directory, 'data'),
    });
    log(`bench:reports — database ${scratch.name} on ${new URL(server).host}${reused ? ' (reused)' : ''}, load ${loadavg()[0].toFixed(2)}`);
    restoreBufferPool = await sizeBufferPool(sql);
    app = await createApp(config);
    app.useLogger(['error', 'warn']);
    await app.init();
    const now = Date.now();
    if (!reused) {
      await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
      const units = await addUnits(sql, UNITS, now);
      log(`units: ${units}`);
      const loadStarted = performance.now();
      let lastLogged = 0;
      const loaded = await loadOrders(sql, scratch.url, ORDERS, now, SPAN_DAYS, 20261202, (done) => {
        if (done - lastLogged >= 500_000 || (done === ORDERS && lastLogged !== ORDERS)) {
          lastLogged = done;
          log(`  loaded ${done.toLocaleString('en-US')} orders (${seconds(performance.now() - loadStarted)})`);
        }
      });
      log(`load: ${loaded.orders.toLocaleString('en-US')} orders, ${loaded.returns.toLocaleString('en-US')} returns, ${loaded.flags.toLocaleString('en-US')} shirking flags over ${SPAN_DAYS} days in ${seconds(performance.now() - loadStarted)}`);
      await sql.query('ANALYZE TABLE work_orders, work_order_returns, shirking_flags');
    }
    if (!reused || process.env.BENCH_REBUILD === '1') {
      const rebuildStarted = performance.now();
      const rebuilt = await app.get(StatisticsService).rebuild();
      await sql.query('ANALYZE TABLE unit_day_stats, order_stat_facts');
      log(`statistics rebuild: ${rebuilt.orders.toLocaleString('en-US')} orders in ${seconds(performance.now() - rebuildStarted)}`);
    }
    const [[{ statRows }]] = await sql.query<(RowDataPacket & { statRows: number })[]>('SELECT COUNT(*) AS statRows FROM unit_day_stats');
    const [[{ orders }]] = await sql.query<(RowDataPacket & { orders: number })[]>('SELECT COUNT(*) AS orders FROM work_orders');
    log(`unit_day_stats: ${Number(statRows).toLocaleString('en-US')} rows for ${Number(orders).toLocaleString('en-US')} orders`);

    const assessment = app.get(AssessmentService);
    const period = lastWholeMonth(now);
    const scope = { unitId: null, unitIds: null };
    const time = async (source: 'statistics' | 'orders', runs: number) => {
      const ms: number[] = [];
      let report: AssessmentReport | null = null;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        report = await assessment.assessment(period, scope, { source });
        ms.push(performance.now() - started);
      }
      return { ms: median(ms), all: ms, report: report as AssessmentReport };
    };
    // Warm both paths once (connection pool, plan cache), then measure.
    await assessment.assessment(period, scope);
    const fromStatistics = await time('statistics', RUNS);
    // The direct query reads a month of orders twice (the period and the one before): at 5 M orders it takes long.
    const fromOrders = await time('orders', DIRECT_RUNS);
    const difference = firstDifference(figuresOf(fromStatistics.report), figuresOf(fromOrders.report));
    const ratio = fromOrders.ms / fromStatistics.ms;
    log('');
    log(`monthly assessment ${period.from} … ${period.to} (and ${fromStatistics.report.previousPeriod.from} … ${fromStatistics.report.previousPeriod.to} for the ranking change), ${fromStatistics.report.rows.length} units, ${fromStatistics.report.totals.received.toLocaleString('en-US')} orders received`);
    log(`  daily statistics : ${fromStatistics.ms.toFixed(1)} ms median of ${RUNS} (${fromStatistics.all.map((m) => m.toFixed(0)).join(', ')})`);
    log(`  direct GROUP BY  : ${fromOrders.ms.toFixed(1)} ms median of ${DIRECT_RUNS} (${fromOrders.all.map((m) => m.toFixed(0)).join(', ')})`);
    log(`  ratio            : ${ratio.toFixed(1)}× faster`);
    log(`  identical        : ${difference === null ? 'yes, every figure of every unit' : `NO — ${difference}`}`);
    const met = fromStatistics.ms <= TARGET_MS && ratio >= TARGET_RATIO && difference === null;
    log(`  targets (≤ ${TARGET_MS} ms, ≥ ${TARGET_RATIO}×, identical): ${met ? 'met' : 'NOT met'}`);
    failed = !met;
  } finally {
    if (app) await app.close();
    if (restoreBufferPool) await restoreBufferPool();
    await sql.end();
    if (!keep) await dropMysqlDatabase(server, scratch.name);
    else log(`kept database ${scratch.name} (BENCH_DATABASE=${scratch.name} measures it again)`);
    rmSync(directory, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

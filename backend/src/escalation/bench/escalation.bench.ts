/**
 * `npm run bench:escalation`: the deadline tick on MariaDB/MySQL with 1,000,000 open orders, 10,000 of them due.
 * Prints the tick that handles the 10,000 due, and an idle tick (nothing due) at 100,000 and at 1,000,000 open
 * orders. Targets (issue 6): the 10,000 in ≤ 5 s; an idle tick ≤ 50 ms and flat from 100 k to 1 M.
 *
 * The server is BENCH_MYSQL_URL or TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test); the bench works in a
 * scratch database of its own and drops it at the end. Not part of `npm test` (it takes minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Connection, createConnection } from 'mysql2/promise';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../../database/cli/mysql-scratch';
import { DemoDataService } from '../../demo-data/demo-data.service';
import { EscalationService } from '../escalation.service';

/** The figures; BENCH_OPEN_FIRST / BENCH_OPEN_TOTAL / BENCH_DUE shrink them for a quick smoke run. */
const OPEN_FIRST = Number(process.env.BENCH_OPEN_FIRST ?? 100_000);
const OPEN_TOTAL = Number(process.env.BENCH_OPEN_TOTAL ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 10_000);
const DAY_MS = 86_400_000;

/** A DATETIME(3) literal in UTC (the connection's zone is UTC). */
const sqlTime = (date: Date) => date.toISOString().slice(0, 23).replace('T', ' ');

async function main(): Promise<void> {
  const server = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL;
  if (!server) throw new Error('Set BENCH_MYSQL_URL (or TEST_MYSQL_URL), e.g. mysql://root@127.0.0.1:3306/test');
  process.env.ESCALATION_TICK_SECONDS = '0';
  const scratch = await createScratchMysqlDatabase(server, 'jiesu_bench');
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-bench-'));
  const sql = await createConnection({ uri: scratch.url, timezone: 'Z', multipleStatements: false });
  try {
    const app = await createApp(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: scratch.url,
        ATTACHMENTS_DIR: join(directory, 'attachments'),
        LOG_LEVEL: 'warn',
        SEED_DEMO_DATA: 'never',
        CONSOLE_DIR: join(directory, 'no-console'),
        DATA_DIR: join(directory, 'data'),
      }),
    );
    app.useLogger(['error', 'warn']);
    await app.init();
    await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
    const sut = app.get(EscalationService);
    sut.stop();

    const now = new Date();
    await prepare(sql);
    let loaded = 0;
    const load = async (count: number, due: number) => {
      const started = performance.now();
      for (let done = 0; done < count; ) {
        const batch = Math.min(100_000, count - done);
        await insertOrders(sql, loaded + done, batch, done < due ? Math.min(due - done, batch) : 0, now);
        done += batch;
      }
      loaded += count;
      log(`loaded ${count.toLocaleString('en')} orders (${loaded.toLocaleString('en')} in all) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };

    await load(OPEN_FIRST, 0);
    await sql.query('ANALYZE TABLE work_orders');
    const idleAt100k = await idleTicks(sut, now);
    log(`idle tick at ${OPEN_FIRST.toLocaleString('en')} open orders: ${summary(idleAt100k)}`);

    await load(OPEN_TOTAL - OPEN_FIRST, DUE);
    await sql.query('ANALYZE TABLE work_orders');
    const started = performance.now();
    const result = await sut.tick(now);
    const dueMs = performance.now() - started;
    log(`tick with ${DUE.toLocaleString('en')} due among ${OPEN_TOTAL.toLocaleString('en')}: ${(dueMs / 1000).toFixed(2)} s (${result.looked} looked at, ${result.claimed} handled, ${result.steps} steps)`);
    const [[counts]] = (await sql.query(
      "SELECT (SELECT COUNT(*) FROM work_order_events WHERE action = 'remind') AS reminders, (SELECT COUNT(*) FROM notifications) AS notifications",
    )) as unknown as [[{ reminders: number; notifications: number }]];
    log(`written: ${counts.reminders} reminder events, ${counts.notifications} notifications`);

    const idleAt1m = await idleTicks(sut, now);
    log(`idle tick at ${OPEN_TOTAL.toLocaleString('en')} open orders: ${summary(idleAt1m)}`);
    const verdict = dueMs <= 5000 && median(idleAt100k) <= 50 && median(idleAt1m) <= 50;
    log(`targets (10,000 due ≤ 5 s, idle ≤ 50 ms): ${verdict ? 'met' : 'NOT met'}`);
    await app.close();
  } finally {
    await sql.end();
    await dropMysqlDatabase(server, scratch.name);
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A 1,000-row helper table of 0…999: 1,000 × 100 rows come from one INSERT … SELECT of a cross join. */
async function prepare(sql: Connection): Promise<void> {
  await sql.query('CREATE TABLE bench_digits (n INT PRIMARY KEY)');
  await sql.query(`INSERT INTO bench_digits (n) VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i})`).join(',')}`);
}

/**
 * `count` open orders in processing, numbered from `offset`, the first `due` of them due now (a reminder is due:
 * little of the reply limit is left), the others due for a look days to weeks ahead. Led by the demo units that
 * have staff, so the reminders notify real users.
 */
async function insertOrders(sql: Connection, offset: number, count: number, due: number, now: Date): Promise<void> {
  const [[refs]] = (await sql.query(
    "SELECT (SELECT MIN(id) FROM categories) AS categoryId, (SELECT MIN(id) FROM users WHERE role = 'agent') AS agentId",
  )) as unknown as [[{ categoryId: number; agentId: number }]];
  const [unitRows] = (await sql.query(
    "SELECT DISTINCT unitId AS id FROM users WHERE role = 'handler' AND active = 1 ORDER BY unitId",
  )) as unknown as [{ id: number }[]];
  const units = unitRows.map((u) => u.id);
  const unitCase = `ELT(1 + (seq MOD ${units.length}), ${units.join(',')})`;
  const dispatched = sqlTime(new Date(now.getTime() - 6 * DAY_MS));
  // An hour before the reply deadline: yellow whatever the time of day (less than 2 working hours are left).
  const dueAt = sqlTime(new Date(now.getTime() + 3_600_000));
  const created = sqlTime(new Date(now.getTime() - 7 * DAY_MS));
  await sql.query('SET foreign_key_checks = 0, unique_checks = 0');
  await sql.query(
    `INSERT INTO work_orders (number, requestType, urgency, channel, status, citizenConfidential, address, categoryId, title, content,
       leadUnitId, registeredById, dispatchedAt, acceptDueAt, replyDueAt, replyClockStartedAt, acceptedAt, firstContactAt,
       warningLevel, escalationStage, deadlineCheckAt, createdAt, updatedAt)
     SELECT CONCAT('B', LPAD(seq, 14, '0')), 'complaint', 'normal', 'phone', 'processing', 0, 'bench', ?, 'bench order', 'bench order',
       ${unitCase}, ?, ?, ?, ?, ?, ?, ?,
       'none', 0,
       IF(seq - ? < ?, ?, TIMESTAMPADD(SECOND, 86400 + (seq MOD 1209600), ?)), ?, ?
     FROM (SELECT ? + a.n * 1000 + b.n AS seq FROM bench_digits a CROSS JOIN bench_digits b WHERE a.n * 1000 + b.n < ?) s`,
    [refs.categoryId, refs.agentId, dispatched, dispatched, dueAt, dispatched, dispatched, dispatched, offset, due, sqlTime(new Date(now.getTime() - 60_000)), sqlTime(now), created, created, offset, count],
  );
  await sql.query('SET foreign_key_checks = 1, unique_checks = 1');
}

async function idleTicks(sut: EscalationService, now: Date): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    const result = await sut.tick(now);
    times.push(performance.now() - started);
    if (result.looked > 0) throw new Error(`an idle tick found ${result.looked} due orders`);
  }
  return times.slice(1); // the first warms the statement cache
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (values: number[]) =>
  `median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (${values.length} ticks)`;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

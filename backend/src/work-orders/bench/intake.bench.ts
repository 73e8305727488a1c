/**
 * `npm run bench:intake` (issue 8): registrations through the real API, POST /api/work-orders, at concurrency 1, 10
 * and 50, on MariaDB/MySQL and on SQLite; beside each level the same rows written raw (mysql2 pool, or the SQLite
 * file's own connection) as the reference rate. Prints registrations/s, p50/p95/p99/max latency, errors (any answer
 * but 201), SQL statements per registration, the server process's RSS before and after each level, and checks that
 * the numbers handed out are unique and consecutive per day.
 * Targets (issue 8): ≥ 500 registrations/s at concurrency 10 on MariaDB and ≥ 15 % of the raw rate, p95 ≤ 50 ms,
 * 0 errors, numbers unique.
 *
 * Each engine runs in a process of its own (the real Nest app listening on 127.0.0.1, port 0, migrated and seeded
 * with the demo organisation without work orders); the load comes from a child process (intake-load.ts), so the
 * server's RSS and event loop are its own.
 *
 * MariaDB is measured as a center runs it: the real server, `node dist/main.js` with WORKERS=BENCH_WORKERS (2)
 * worker processes, started on the database the in-process app migrated and seeded. Its statements cannot be counted
 * from here, so they are counted in the in-process app first (the warm sample and a counted run of 200 registrations
 * at concurrency 10 with the same code); the table says so. BENCH_WORKERS=1 runs `node dist/main.js` as one process
 * (no cluster), BENCH_WORKERS=0 measures the in-process app instead.
 * SQLite is always the in-process app (one process: SQLite has one writer, and WORKERS is 1 there).
 *
 * Environment: BENCH_MYSQL_URL or TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test; a scratch database is
 * created and dropped; BENCH_KEEP=1 keeps it, for looking at the detector's tables afterwards), BENCH_ENGINES (mysql,sqlite), BENCH_LEVELS (1,10,50), BENCH_SECONDS (15 per level),
 * BENCH_COUNT (stop a level after this many registrations; 0 = no limit), BENCH_WORKERS (2; 0 = the in-process app), BENCH_LOG_LEVEL (warn),
 * BENCH_MASS_EVENT=1 (every registration another caller about one matter: a mass event's hotspot), BENCH_WARM_SECONDS (10: registrations at concurrency 10 before the first level, not measured, so that the server's hot
 * paths are compiled as in a server that has been running).
 * Statements are counted by wrapping the TypeORM DataSource's logger.logQuery, which both drivers call for every
 * statement they send (transaction control included), whatever the logging option; "statements / registration"
 * counts all of them, BEGIN and COMMIT included, and the auth guard's and the caches' reads if there were any.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../../database/cli/mysql-scratch';
import { dateFromRow } from '../../database/columns';
import { DEMO_PASSWORD } from '../../demo-data/demo-organisation';
import { type IntakeReference, intakeRow, type LoadMode, type LoadResult, type LoadTask, RAW_NUMBER_PREFIX } from './intake-load';
import { databaseServerCpuMs, type RunningServer, startBenchApp, startBenchServer } from '../../database/bench/bench-app';
import { RepeatScreeningQueue, screeningWork } from '../repeat-screening-queue.service';
import { screeningQueueDrained } from './screening-queue-drained';

type Engine = 'mysql' | 'sqlite';

interface LevelResult {
  engine: Engine;
  concurrency: number;
  registrations: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  statementsPerRegistration: number;
  rawRate: number;
  rawConcurrency: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** How long after the level the repeat screening queue was empty again (0: it kept up). */
  screeningLagMs: number;
  /** CPU time per registration from the level's start until its orders were screened: the app's processes, the database server's. */
  appCpuMsPerRegistration: number;
  databaseCpuMsPerRegistration: number | null;
}

interface EngineReport {
  engine: Engine;
  /** What answered the load: "1 process (in-process)" or "WORKERS=2 (node dist/main.js)". */
  server: string;
  /** Where the statements per registration were counted: during the level itself, or in the in-process app before. */
  statementsCounted: 'level' | 'in-process';
  levels: LevelResult[];
  checks: string[];
  checksPassed: boolean;
}

const ENGINES = (process.env.BENCH_ENGINES ?? 'mysql,sqlite').split(',').map((e) => e.trim()) as Engine[];
const LEVELS = (process.env.BENCH_LEVELS ?? '1,10,50').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const COUNT = Number(process.env.BENCH_COUNT ?? 0);
const MYSQL_SERVER = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
/** Seconds of registrations before the levels, not measured (BENCH_WARM_SECONDS, 0 = none). */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 10);
/** How many registrations the in-process app counts statements over before the WORKERS server takes the load. */
const COUNTED_REGISTRATIONS = 200;

// ---------------------------------------------------------------------------------------------------------------
// The parent: one child process per engine, then the table.

async function orchestrate(): Promise<void> {
  for (const engine of ENGINES) if (engine !== 'mysql' && engine !== 'sqlite') throw new Error(`BENCH_ENGINES: unknown engine ${String(engine)} (mysql, sqlite)`);
  for (const level of LEVELS) if (!Number.isInteger(level) || level < 1) throw new Error(`BENCH_LEVELS: ${level} is not a concurrency (1, 10, 50…)`);
  if (!Number.isInteger(WORKERS) || WORKERS < 0) throw new Error(`BENCH_WORKERS: ${process.env.BENCH_WORKERS} is not a number of processes (1, 2…; 0: the in-process app)`);
  if (!Number.isFinite(WARM_SECONDS) || WARM_SECONDS < 0) throw new Error(`BENCH_WARM_SECONDS: ${process.env.BENCH_WARM_SECONDS} is not a number of seconds (0, 10…)`);
  log(
    `intake benchmark: engines ${ENGINES.join(', ')}; concurrency ${LEVELS.join(', ')}; ${SECONDS} s${COUNT ? ` or ${COUNT} registrations` : ''} per level; MariaDB: ${WORKERS > 0 ? `node dist/main.js with WORKERS=${WORKERS}` : 'one in-process app'}, SQLite: one in-process app`,
  );
  const reports: EngineReport[] = [];
  for (const engine of ENGINES) reports.push(await inChild<EngineReport>(__filename, { BENCH_ENGINE: engine }));
  log('');
  log('| engine | server | concurrency | registrations | registrations/s | p50 ms | p95 ms | p99 ms | max ms | errors | SQL statements / registration | raw rows/s | API / raw | server RSS before → after (MB) | repeat screening done after the level (s) | CPU ms / registration: app, database ² |');
  log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { levels, server, statementsCounted } of reports) {
    for (const l of levels) {
      const raw = `${l.rawRate.toFixed(0)}${l.rawConcurrency !== l.concurrency ? ` (${l.rawConcurrency} writer)` : ''}`;
      log(
        `| ${l.engine === 'mysql' ? 'MariaDB' : 'SQLite'} | ${server} | ${l.concurrency} | ${l.registrations} | ${l.rate.toFixed(1)} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} | ${l.errors} | ${l.statementsPerRegistration.toFixed(1)}${statementsCounted === 'in-process' ? ' ¹' : ''} | ${raw} | ${((100 * l.rate) / l.rawRate).toFixed(1)} % | ${l.rssBeforeMb.toFixed(0)} → ${l.rssAfterMb.toFixed(0)} | ${(l.screeningLagMs / 1000).toFixed(1)} | ${l.appCpuMsPerRegistration.toFixed(2)}, ${l.databaseCpuMsPerRegistration === null ? '–' : l.databaseCpuMsPerRegistration.toFixed(2)} |`,
      );
    }
  }
  log('² from the level\'s start until its orders were screened, per registration answered: the app\'s processes (for SQLite the in-process app, the benchmark\'s own process) and the local database server (mariadbd); the load generator not counted');
  if (reports.some((r) => r.statementsCounted === 'in-process')) {
    log(`¹ counted in the in-process app over ${COUNTED_REGISTRATIONS} registrations at concurrency 10 (same code), the WORKERS server's statements cannot be counted from outside`);
  }
  for (const report of reports) log(`${report.engine}: ${report.checks.join('; ')}`);
  const mysqlAt10 = reports.find((r) => r.engine === 'mysql')?.levels.find((l) => l.concurrency === 10);
  if (mysqlAt10) {
    const met = mysqlAt10.rate >= 500 && mysqlAt10.rate >= 0.15 * mysqlAt10.rawRate && mysqlAt10.p95 <= 50 && mysqlAt10.errors === 0;
    log(`target at concurrency 10 on MariaDB (≥ 500/s, ≥ 15 % of raw, p95 ≤ 50 ms, 0 errors): ${met ? 'met' : 'NOT met'}`);
  }
  if (reports.some((r) => !r.checksPassed || r.levels.some((l) => l.errors > 0))) process.exitCode = 1;
}

/** Forks `script` with extra environment and waits for the one message it sends back. */
function inChild<T>(script: string, env: Record<string, string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(script, [], { env: { ...process.env, ...env }, stdio: 'inherit' });
    let answer: { value: T } | null = null;
    child.on('message', (message) => (answer = { value: message as T }));
    child.on('error', reject);
    child.on('exit', (code) => (answer ? resolve(answer.value) : reject(new Error(`${script} ${JSON.stringify(env).slice(0, 200)} exited with ${code} without a result`))));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One engine: the real app, the levels, the checks.

async function benchEngine(engine: Engine): Promise<EngineReport> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-intake-'));
  const scratch = engine === 'mysql' ? await createScratchMysqlDatabase(MYSQL_SERVER, 'jiesu_bench') : null;
  const sqlitePath = join(directory, 'jiesu.sqlite');
  let app: INestApplication | null = null;
  let server: RunningServer | null = null;
  try {
    const running = await startBenchApp(scratch ? scratch.url : `sqlite:${sqlitePath}`, directory);
    app = running.app;
    const port = running.port;
    const dataSource = app.get(DataSource);
    const statements = countStatements(dataSource);
    const reference = await readReference(dataSource);
    const token = await login(port);
    const label = engine === 'mysql' ? `MariaDB (${scratch?.name})` : `SQLite (${sqlitePath})`;
    log(`${label}: app on port ${port}, ${reference.categories.length} leaf categories, ${reference.districts.length} districts`);

    // Two warm-up registrations (the first loads calendars and caches); the second's statements are shown.
    let offset = 0;
    await register(port, token, reference, offset++);
    await app.get(RepeatScreeningQueue).settled();
    const screeningBefore = statements.screening;
    statements.capture = [];
    await register(port, token, reference, offset++);
    const sample = statements.capture;
    statements.capture = null;
    await app.get(RepeatScreeningQueue).settled();
    log(`  statements of one registration (${sample.length}, warm): ${verbs(sample)}; then ${statements.screening - screeningBefore} by the repeat screening queue after the answer`);
    for (const [i, sql] of sample.entries()) log(`    ${String(i + 1).padStart(2)}. ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
    let apiRegistrations = 2;

    // MariaDB as a center runs it: the statements are counted here first, then the real server with WORKERS takes the load.
    let countedPerRegistration: number | null = null;
    if (engine === 'mysql' && WORKERS > 0 && scratch) {
      const before = statements.total;
      const screeningBeforeCount = statements.screening;
      statements.screeningCapture = [];
      const counted = await load({ mode: 'api', concurrency: 10, seconds: 120, maxCount: COUNTED_REGISTRATIONS, reference, offset, port, token });
      if (errorCount(counted) > 0) throw new Error(`the counted registrations failed: ${counted.firstError}`);
      await app.get(RepeatScreeningQueue).settled();
      countedPerRegistration = (statements.total - before) / counted.done;
      offset += counted.done;
      apiRegistrations += counted.done;
      const screeningPerRegistration = (statements.screening - screeningBeforeCount) / counted.done;
      log(`  in-process: ${counted.done} registrations at concurrency 10, ${countedPerRegistration.toFixed(2)} statements each (${(1000 * counted.done / counted.elapsedMs).toFixed(0)}/s in one process); then ${screeningPerRegistration.toFixed(2)} each by the repeat screening queue:`);
      const shapes = new Map<string, number>();
      for (const sql of statements.screeningCapture) {
        const shape = sql.replace(/\s+/g, ' ').replace(/`/g, '').slice(0, 70);
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      }
      statements.screeningCapture = null;
      for (const [shape, n] of [...shapes].sort((a, b) => b[1] - a[1])) log(`    ${(n / counted.done).toFixed(2).padStart(5)} ${shape}`);
      server = await startBenchServer(scratch.url, directory, WORKERS);
      log(`  node dist/main.js with WORKERS=${WORKERS} listening on port ${server.port} (primary pid ${server.pid})`);
    }
    const target = server ?? { port, token, rssMb: () => process.memoryUsage().rss / 2 ** 20, cpuMs: () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; } };
    const targetToken = server ? await login(server.port) : token;
    // A server that has just started runs its code unoptimised (V8 compiles the hot paths over the first thousand or
    // so requests, on the same two cores): registrations for WARM_SECONDS first, not measured, so that the levels
    // measure the server as it runs for days; then the screening queue is let empty.
    if (WARM_SECONDS > 0) {
      const warm = await load({ mode: 'api', concurrency: 10, seconds: WARM_SECONDS, maxCount: 0, reference, offset, port: target.port, token: targetToken });
      if (errorCount(warm) > 0) throw new Error(`the warm-up registrations failed: ${warm.firstError}`);
      const screened = await screeningCaughtUp(app.get(RepeatScreeningQueue));
      offset += warm.done;
      apiRegistrations += warm.done;
      log(`  warm-up (not measured): ${warm.done} registrations in ${(warm.elapsedMs / 1000).toFixed(1)} s at concurrency 10 (${((1000 * warm.done) / warm.elapsedMs).toFixed(0)}/s), screened ${(screened.lagMs / 1000).toFixed(1)} s later`);
    }

    const levels: LevelResult[] = [];
    for (const concurrency of LEVELS) {
      const base = { concurrency, seconds: SECONDS, maxCount: COUNT, reference };
      const rssBefore = target.rssMb() * 2 ** 20;
      const before = statements.total;
      const cpuBefore = { app: target.cpuMs(), database: engine === 'mysql' ? databaseServerCpuMs() : null };
      const api = await load({ ...base, mode: 'api', offset, port: target.port, token: targetToken });
      const sent = countedPerRegistration === null ? statements.total - before : countedPerRegistration * (api.done + errorCount(api));
      const rssAfter = target.rssMb() * 2 ** 20;
      const screened = await screeningCaughtUp(app.get(RepeatScreeningQueue));
      const cpuAfter = { app: target.cpuMs(), database: engine === 'mysql' ? databaseServerCpuMs() : null };
      offset += api.done + errorCount(api);
      apiRegistrations += api.done;
      const rawMode: LoadMode = engine === 'mysql' ? 'raw-mysql' : 'raw-sqlite';
      const raw = await load({ ...base, mode: rawMode, offset: 10_000_000 * levels.length + 1, database: scratch ? scratch.url : sqlitePath });
      if (errorCount(raw) > 0) throw new Error(`raw inserts failed: ${raw.firstError}`);
      const sorted = [...api.latencies].sort((a, b) => a - b);
      const level: LevelResult = {
        engine,
        concurrency,
        registrations: api.done,
        rate: (1000 * api.done) / api.elapsedMs,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1] ?? 0,
        errors: errorCount(api),
        statementsPerRegistration: sent / Math.max(1, api.done + errorCount(api)),
        rawRate: (1000 * raw.done) / raw.elapsedMs,
        rawConcurrency: rawMode === 'raw-sqlite' ? 1 : concurrency,
        rssBeforeMb: rssBefore / 2 ** 20,
        rssAfterMb: rssAfter / 2 ** 20,
        screeningLagMs: screened.lagMs,
        appCpuMsPerRegistration: (cpuAfter.app - cpuBefore.app) / Math.max(1, api.done),
        databaseCpuMsPerRegistration: cpuAfter.database === null || cpuBefore.database === null ? null : (cpuAfter.database - cpuBefore.database) / Math.max(1, api.done),
      };
      levels.push(level);
      log(
        `  concurrency ${concurrency}: ${api.done} registrations in ${(api.elapsedMs / 1000).toFixed(1)} s = ${level.rate.toFixed(1)}/s; p50 ${level.p50.toFixed(1)} ms, p95 ${level.p95.toFixed(1)} ms, p99 ${level.p99.toFixed(1)} ms, max ${level.max.toFixed(1)} ms; errors ${level.errors}${level.errors ? ` ${JSON.stringify(api.errors)} first: ${api.firstError}` : ''}; ${level.statementsPerRegistration.toFixed(1)} statements/registration; raw ${level.rawRate.toFixed(0)}/s (${raw.done} rows, ${level.rawConcurrency} connection${level.rawConcurrency > 1 ? 's' : ''}) → API/raw ${((100 * level.rate) / level.rawRate).toFixed(1)} %; RSS ${level.rssBeforeMb.toFixed(0)} → ${level.rssAfterMb.toFixed(0)} MB (heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB)`,
      );
      log(
        `    repeat screening: ${screened.waitingAtEnd} order(s) still queued when the level ended, all screened ${(screened.lagMs / 1000).toFixed(1)} s later (${((1000 * api.done) / (api.elapsedMs + screened.lagMs)).toFixed(1)} registered and screened /s)`,
      );
      log(
        `    CPU per registration, screening included: app ${level.appCpuMsPerRegistration.toFixed(2)} ms${level.databaseCpuMsPerRegistration === null ? '' : `, database server ${level.databaseCpuMsPerRegistration.toFixed(2)} ms`} (the load generator's not counted)`,
      );
    }
    const checks = await checkNumbers(dataSource, apiRegistrations);
    log(`  checks: ${checks.messages.join('; ')}`);
    log(`  server RSS at the end, idle: ${target.rssMb().toFixed(0)} MB`);
    return {
      engine,
      server: server ? `WORKERS=${WORKERS} (node dist/main.js)` : '1 process (in-process)',
      statementsCounted: countedPerRegistration === null ? 'level' : 'in-process',
      levels,
      checks: checks.messages,
      checksPassed: checks.passed,
    };
  } finally {
    await server?.stop();
    await app?.close();
    if (scratch && process.env.BENCH_KEEP === '1') console.log(`  kept the scratch database ${scratch.name} (BENCH_KEEP=1): drop it when done`);
    else if (scratch) await dropMysqlDatabase(MYSQL_SERVER, scratch.name);
    rmSync(directory, { recursive: true, force: true });
  }
}

interface StatementCounter {
  /** Sent while answering registrations. */
  total: number;
  /** Sent by the repeat screening queue after the answers (RepeatScreeningQueue). */
  screening: number;
  /** While an array: the text of every statement sent. */
  capture: string[] | null;
  /** While an array: the text of every statement the screening queue sent. */
  screeningCapture: string[] | null;
}

/** Counts every statement the app sends through TypeORM (both drivers call logger.logQuery before each one). */
function countStatements(dataSource: DataSource): StatementCounter {
  const counter: StatementCounter = { total: 0, screening: 0, capture: null, screeningCapture: null };
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, queryRunner) => {
    if (screeningWork.getStore()) {
      counter.screening++;
      counter.screeningCapture?.push(query);
      logQuery(query, parameters, queryRunner);
      return;
    }
    counter.total++;
    counter.capture?.push(query);
    logQuery(query, parameters, queryRunner);
  };
  return counter;
}

const verbs = (sample: string[]) =>
  Object.entries(
    sample.reduce<Record<string, number>>((all, sql) => {
      const verb = (/^\s*(\w+)/.exec(sql)?.[1] ?? '?').toUpperCase();
      all[verb] = (all[verb] ?? 0) + 1;
      return all;
    }, {}),
  )
    .map(([verb, n]) => `${verb} ${n}`)
    .join(', ');

async function readReference(dataSource: DataSource): Promise<IntakeReference> {
  const categories = await dataSource.query<IntakeReference['categories']>(
    'SELECT id, code, defaultRequestType FROM categories WHERE level = 3 AND active = 1 AND defaultRequestType IS NOT NULL ORDER BY id',
  );
  const units = await dataSource.query<{ id: number; name: string; type: string; parentId: number | null }[]>(
    "SELECT id, name, type, parentId FROM units WHERE type IN ('district', 'street') AND active = 1 ORDER BY id",
  );
  const districts = units
    .filter((u) => u.type === 'district')
    .map((d) => ({ id: d.id, name: d.name, streets: units.filter((s) => s.type === 'street' && s.parentId === d.id).map((s) => ({ id: s.id, name: s.name })) }))
    .filter((d) => d.streets.length > 0);
  const [agent] = await dataSource.query<IntakeReference['agent'][]>(
    "SELECT u.id, u.displayName, u.role, u.unitId, n.name AS unitName FROM users u JOIN units n ON n.id = u.unitId WHERE u.username = 'agent1'",
  );
  if (categories.length === 0 || districts.length === 0 || !agent) throw new Error('the demo organisation is missing (categories, districts with streets, agent1)');
  return { categories, districts, agent };
}

async function login(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken) throw new Error(`login of agent1 failed: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

async function register(port: number, token: string, reference: IntakeReference, n: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/api/work-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(intakeRow(reference, n).body),
  });
  if (response.status !== 201) throw new Error(`a warm-up registration answered ${response.status}: ${await response.text()}`);
}

function load(task: LoadTask): Promise<LoadResult> {
  return inChild<LoadResult>(join(__dirname, 'intake-load.js'), { BENCH_LOAD_TASK: JSON.stringify(task) });
}

/**
 * The API's orders (raw rows are numbered R…): as many as it answered 201, every number unique, and per day the
 * sequence 1…n without a gap (each registration draws its number in its own transaction); each has its
 * register event.
 */
async function checkNumbers(dataSource: DataSource, expected: number): Promise<{ passed: boolean; messages: string[] }> {
  const rows = await dataSource.query<{ number: string; createdAt: Date | string }[]>(
    `SELECT number, createdAt FROM work_orders WHERE number NOT LIKE '${RAW_NUMBER_PREFIX}%'`,
  );
  const messages: string[] = [];
  let passed = true;
  const fail = (message: string) => {
    passed = false;
    messages.push(`FAILED: ${message}`);
  };
  if (rows.length !== expected) fail(`${rows.length} orders in the table, ${expected} answered 201`);
  const unique = new Set(rows.map((r) => r.number));
  if (unique.size !== rows.length) fail(`${rows.length - unique.size} duplicate numbers`);
  const days = new Map<string, number[]>();
  for (const { number } of rows) days.set(number.slice(0, 8), [...(days.get(number.slice(0, 8)) ?? []), Number(number.slice(8))]);
  for (const [day, sequences] of days) {
    sequences.sort((a, b) => a - b);
    const gaps = sequences.filter((s, i) => s !== i + 1).length;
    if (gaps > 0) fail(`day ${day}: ${gaps} of ${sequences.length} numbers out of the sequence 1…${sequences.length} (first ${sequences[0]}, last ${sequences[sequences.length - 1]})`);
  }
  // The registration time is taken after the number is drawn: in number order, no order is older than the one before.
  const inNumberOrder = [...rows].sort((a, b) => a.number.length - b.number.length || (a.number < b.number ? -1 : 1));
  const timeOf = (r: { createdAt: Date | string }) => dateFromRow(r.createdAt).getTime();
  const inversions = inNumberOrder.filter((r, i) => i > 0 && timeOf(r) < timeOf(inNumberOrder[i - 1])).length;
  if (inversions > 0) fail(`${inversions} orders registered earlier than the order numbered before them`);
  const [{ missing }] = await dataSource.query<{ missing: number | string }[]>(
    `SELECT COUNT(*) AS missing FROM work_orders o WHERE o.number NOT LIKE '${RAW_NUMBER_PREFIX}%' AND NOT EXISTS (SELECT 1 FROM work_order_events e WHERE e.workOrderId = o.id AND e.action = 'register')`,
  );
  if (Number(missing) > 0) fail(`${missing} orders without their register event`);
  if (passed) messages.push(`${rows.length} numbers unique and consecutive per day (${[...days.keys()].join(', ')}), in the order of their times, each with its register event`);
  return { passed, messages };
}

/** How many orders the repeat screening queue held when the level ended, and how long it took to screen them. */
async function screeningCaughtUp(queue: RepeatScreeningQueue): Promise<{ waitingAtEnd: number; lagMs: number }> {
  const { waitingAtStart, lagMs } = await screeningQueueDrained(() => queue.waiting(), { pollMs: 50, giveUpAfterMs: 600_000, when: 'after the level' });
  return { waitingAtEnd: waitingAtStart, lagMs };
}

const errorCount = (result: LoadResult) => Object.values(result.errors).reduce((a, b) => a + b, 0);
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : 0);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const engine = process.env.BENCH_ENGINE as Engine | undefined;
  if (!engine) return orchestrate();
  const report = await benchEngine(engine);
  await new Promise<void>((resolve, reject) => process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())) ?? resolve());
  // A timer or socket left behind by the app must not keep the parent waiting: the result is delivered.
  process.exit();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bench:repeat`: repeat detection at registration (issue 10) with 1,000,000 stored orders on MariaDB/MySQL.
 *
 * 1. Creates a scratch database on BENCH_MYSQL_URL or TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test),
 *    migrates it and seeds the demo organisation through the real application, then bulk-loads orders with the lists
 *    benchmark's generator (work-orders/bench/order-generator.ts) made to recur (matter-recurrence.ts: the same caller
 *    again, other callers about the same place, in other words) and, for every order, the fingerprint and index keys
 *    RepeatDetector.record would write (matter-index-sink.ts), the keys copied into matter_keys in one pass at the end.
 * 2. For each size, a child process (`node --expose-gc`) starts the application context and runs, for BENCH_DETECTIONS
 *    new orders drawn like the load (after BENCH_WARMUP others): one detection as registration runs it
 *    (`findCandidates`: features + candidate query with the fingerprints + scoring), then `findCandidates + record`;
 *    it reports p50/p95/p99/max, the keys looked up (and how many the database index answered: the detector's window
 *    of recent orders holds none of the bulk-loaded orders, only those the run records), the fingerprints compared per
 *    detection, and its RSS and V8 heap
 *    used after a full GC — measured in a fresh process at each size, so they show what the detector keeps, not what
 *    the load left behind. At the largest size it EXPLAINs the candidate query. The measured orders are deleted again.
 * 3. Drops the scratch database, unless BENCH_KEEP=1 or BENCH_DATABASE=<name> (reuse: loads only what a size lacks).
 *
 * Environment: BENCH_SIZES=100000,1000000 (or BENCH_ORDERS=n for one size), BENCH_DETECTIONS (500), BENCH_WARMUP (100),
 * BENCH_BUFFER_POOL_MB (InnoDB buffer pool for the run; unset = the server's), BENCH_KEEP, BENCH_DATABASE, BENCH_LOAD_ONLY=1
 * (load and keep, measure nothing: a later run with BENCH_DATABASE measures on a quiet machine).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { createApp } from '../../app.factory';
import { AppModule } from '../../app.module';
import { type AppConfig, loadConfig } from '../../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../../database/cli/mysql-scratch';
import { DemoDataService } from '../../demo-data/demo-data.service';
// A benchmark is an entry point: it reuses the lists benchmark's order generator (the same orders, made to recur).
import {
  bulkLoad,
  COLUMNS,
  DAY,
  envNumber,
  type LoadState,
  loadReference,
  log,
  OrderGenerator,
  orderNumber,
  readLoadState,
  type Reference,
  sizeBufferPool,
} from '../../work-orders/bench/order-generator';
import { MatterIndexRepository } from '../matter-index.repository';
import type { MatterFeatures } from '../matter-features';
import type { MatterInput, RepeatCandidate } from '../repeat-candidate';
import type { RequestType } from '../../work-orders/work-order.enums';
import { RepeatDetector } from '../repeat-detector';
import { KEYS_LOAD_TABLE, MatterIndexSink, matterInputOf } from './matter-index-sink';
import { MatterRecurrence, type StoredMatter } from './matter-recurrence';

const CANDIDATE_INDEX = 'PRIMARY';
const MB = 2 ** 20;

// ---------------------------------------------------------------------------------------------------------------
// What the parent hands the measuring child, and what it answers
// ---------------------------------------------------------------------------------------------------------------

interface Detection {
  id: number;
  /** The generator's truth: the matter it reports (its own id when it is a new matter). */
  matterId: number;
  input: Omit<MatterInput, 'createdAt'> & { createdAt: string };
}

interface Job {
  databaseUrl: string;
  directory: string;
  explain: boolean;
  warmup: Detection[];
  measured: Detection[];
}

interface Memory {
  rssMb: number;
  heapUsedMb: number;
}

interface Timings {
  ms: number[];
  /** The lookups' keys, and those of them read from the database index (the rest from the window of recent orders). */
  keys: number;
  keysRead: number;
  compared: number;
  returned: number;
  /** Time in the candidate query (with the candidates' fingerprints) and in reading features not kept (the rest is features and scoring). */
  queryMs: number;
  fingerprintsMs: number;
}

interface Measurement {
  find: Timings;
  findAndRecord: Timings;
  /** Of the orders that report an earlier matter, those whose matter was among the repeat/hotspot candidates. */
  recurring: number;
  /** Of those, the ones whose matter was among the fingerprints compared (found by the index, whatever the score). */
  retrieved: number;
  found: number;
  /** Of the orders about a new matter, those given a repeat/hotspot candidate anyway. */
  fresh: number;
  flagged: number;
  memoryAfterStart: Memory;
  memoryAfterDetections: Memory;
  explain: ExplainRow[] | null;
  explainKeys: number;
  /** The query's parameters: each branch's index key and the window's start. */
  explainParameters: string[];
}

interface ExplainRow {
  id: number | null;
  select_type: string;
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

type ChildMessage = { ok: true; measurement: Measurement } | { ok: false; error: string };

function benchConfig(databaseUrl: string, directory: string): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    ATTACHMENTS_DIR: join(directory, 'attachments'),
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'never',
    CONSOLE_DIR: join(directory, 'no-console'),
    DATA_DIR: join(directory, 'data'),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The child: one application context, the detections, its memory
// ---------------------------------------------------------------------------------------------------------------

function memory(): Memory {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / MB, heapUsedMb: usage.heapUsed / MB };
}

async function measure(job: Job): Promise<Measurement> {
  const config = benchConfig(job.databaseUrl, job.directory);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, consoleDirectory: null }), { logger: ['error', 'warn'] });
  try {
    const detector = app.get(RepeatDetector, { strict: false });
    const index = app.get(MatterIndexRepository, { strict: false });
    const dataSource = app.get(DataSource);
    // Counted around the detector's own queries (its constants decide how many keys and rows; they are not copied
    // here): the keys read from the database index — all of them, ranked there, when the detector's window of recent
    // orders holds none of the lookup's orders (`candidates`); only those it does not hold for certain otherwise
    // (`keyEntries`) — and the time of those statements.
    const counters = { keys: 0, keysRead: 0, compared: 0, queryMs: 0, fingerprintsMs: 0 };
    const candidates = index.candidates.bind(index);
    const keyEntries = index.keyEntries.bind(index);
    const featuresOf = index.featuresOf.bind(index);
    /** A read of the index, timed, counting the keys it reads (`keysOf` its arguments). */
    const timedRead =
      <A extends unknown[], R>(read: (...args: A) => Promise<R>, keysOf: (...args: A) => number) =>
      async (...args: A): Promise<R> => {
        const started = performance.now();
        const rows = await read(...args);
        counters.queryMs += performance.now() - started;
        counters.keysRead += keysOf(...args);
        return rows;
      };
    index.candidates = timedRead(candidates, (keys) => keys.length);
    index.keyEntries = timedRead(keyEntries, (reads) => reads.length);
    // The candidates' features are read only for those the detector has not kept.
    index.featuresOf = async (ids, manager) => {
      const started = performance.now();
      const features = await featuresOf(ids, manager);
      counters.fingerprintsMs += performance.now() - started;
      return features;
    };
    /** One detection: the candidates, with the orders compared counted (lookUp is findCandidates keeping them). */
    const detect = async (input: MatterInput, given?: MatterFeatures): Promise<{ candidates: RepeatCandidate[]; comparedMatters: Set<number> }> => {
      // The features once, as findCandidates computes them when none are given.
      const features = given ?? (await detector.featuresOf(input));
      const lookup = await detector.lookUp(input, { features });
      counters.keys += detector.keysOf(input, features).length;
      counters.compared += lookup.compared.length;
      return { candidates: lookup.candidates, comparedMatters: new Set(lookup.compared.map((c) => c.matterId)) };
    };
    const inputOf = (d: Detection): MatterInput => ({ ...d.input, createdAt: new Date(d.input.createdAt) });

    const timings = (): Timings => ({ ms: [], keys: 0, keysRead: 0, compared: 0, returned: 0, queryMs: 0, fingerprintsMs: 0 });
    const reset = () => Object.assign(counters, { keys: 0, keysRead: 0, compared: 0, queryMs: 0, fingerprintsMs: 0 });
    const take = (t: Timings) => {
      t.keys += counters.keys;
      t.keysRead += counters.keysRead;
      t.compared += counters.compared;
      t.queryMs += counters.queryMs;
      t.fingerprintsMs += counters.fingerprintsMs;
      reset();
    };

    // The candidate query as the detector sends it, for EXPLAIN: read through a manager that remembers the first query.
    // First of all, while the detector's window of recent orders holds nothing and knows none of the database's answers
    // (after the detections it answers the measured orders' keys itself, and no query would be sent); a lookup through
    // a manager changes neither.
    let explain: ExplainRow[] | null = null;
    let explainKeys = 0;
    let explainParameters: string[] = [];
    if (job.explain) {
      const target = dataSource.manager;
      let captured: { sql: string; parameters: unknown[] } | null = null;
      const spy = new Proxy(target, {
        get(object, property) {
          if (property === 'query') {
            return (sql: string, parameters?: unknown[]) => {
              captured ??= { sql, parameters: parameters ?? [] };
              return object.query(sql, parameters);
            };
          }
          const value: unknown = Reflect.get(object, property, object);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
        },
      });
      // The order with the most keys among the first measured ones: the widest query.
      const widest = job.measured.slice(0, 50).reduce((a, b) => (a.input.content.length + a.input.address.length >= b.input.content.length + b.input.address.length ? a : b));
      reset();
      await detector.findCandidates(inputOf(widest), { manager: spy });
      explainKeys = counters.keysRead;
      const query = captured as { sql: string; parameters: unknown[] } | null;
      if (!query) throw new Error('the detector sent no candidate query');
      explain = await dataSource.query<ExplainRow[]>(`EXPLAIN ${query.sql}`, query.parameters);
      explainParameters = query.parameters.map((p) => (p instanceof Date ? p.toISOString() : String(p)));
    }

    for (const d of job.warmup) await detect(inputOf(d));
    const memoryAfterStart = memory();
    reset();

    // One detection as registration runs it before its transaction (reads only: nothing changes between them).
    const find = timings();
    let recurring = 0;
    let retrieved = 0;
    let found = 0;
    let fresh = 0;
    let flagged = 0;
    for (const d of job.measured) {
      const started = performance.now();
      const { candidates, comparedMatters } = await detect(inputOf(d));
      find.ms.push(performance.now() - started);
      find.returned += candidates.length;
      const proposed = candidates.filter((c) => c.kind !== 'similar');
      if (d.matterId !== d.id) {
        recurring++;
        if (comparedMatters.has(d.matterId)) retrieved++;
        if (proposed.some((c) => c.matterId === d.matterId)) found++;
      } else {
        fresh++;
        if (proposed.length > 0) flagged++;
      }
    }
    take(find);

    // Detection and recording as registration does them (features once; record after the order's commit).
    const findAndRecord = timings();
    for (const d of job.measured) {
      const input = inputOf(d);
      const started = performance.now();
      const features = await detector.featuresOf(input);
      const { candidates } = await detect(input, features);
      await detector.record(d.id, input, candidates, { features });
      findAndRecord.ms.push(performance.now() - started);
      findAndRecord.returned += candidates.length;
    }
    take(findAndRecord);
    const memoryAfterDetections = memory();

    return {
      find,
      findAndRecord,
      recurring,
      retrieved,
      found,
      fresh,
      flagged,
      memoryAfterStart,
      memoryAfterDetections,
      explain,
      explainKeys,
      explainParameters,
    };
  } finally {
    await app.close();
  }
}

async function runChild(jobFile: string): Promise<void> {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
  let message: ChildMessage;
  try {
    message = { ok: true, measurement: await measure(job) };
  } catch (error: unknown) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await new Promise<void>((resolve) => process.send?.(message, () => resolve()));
}

function measureInChild(job: Job): Promise<Measurement> {
  const jobFile = join(job.directory, `job-${Date.now()}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: ['--expose-gc'], env: { ...process.env, BENCH_REPEAT_JOB: jobFile } });
    let answer: ChildMessage | null = null;
    child.on('message', (message: ChildMessage) => (answer = message));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.ok) resolve(answer.measurement);
      else reject(new Error(answer ? answer.error : `the measuring process exited with ${code} and no answer`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: load, index, orders to detect
// ---------------------------------------------------------------------------------------------------------------

/** Copies the loaded keys into matter_keys in one statement on the emptied table (InnoDB then builds its indexes by sorting). */
async function rebuildKeys(sql: Connection): Promise<void> {
  const started = performance.now();
  await sql.query('TRUNCATE TABLE matter_keys');
  await sql.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  await sql.query('START TRANSACTION');
  await sql.query(`INSERT INTO matter_keys (\`key\`, workOrderId, createdAt) SELECT \`key\`, workOrderId, createdAt FROM ${KEYS_LOAD_TABLE}`);
  await sql.query('COMMIT');
  await sql.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
  log(`matter_keys filled from ${KEYS_LOAD_TABLE} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const analyzed = performance.now();
  await sql.query('ANALYZE TABLE work_orders, matter_fingerprints, matter_keys');
  log(`ANALYZE TABLE in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);
}

async function tableSizes(sql: Connection): Promise<string> {
  const [rows] = await sql.query<(RowDataPacket & { name: string; rowsEstimate: number; mb: number })[]>(
    "SELECT TABLE_NAME AS name, TABLE_ROWS AS rowsEstimate, ROUND((DATA_LENGTH + INDEX_LENGTH) / 1048576) AS mb FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('work_orders', 'matter_fingerprints', 'matter_keys') ORDER BY TABLE_NAME",
  );
  return rows.map((r) => `${r.name} ≈${Number(r.rowsEstimate).toLocaleString('en')} rows ${Number(r.mb).toLocaleString('en')} MB`).join(', ');
}

/**
 * The matters begun in the last `days` before `now` by stored orders (at most the newest 50,000), for a run that did not
 * load them itself (BENCH_DATABASE): the orders to detect then report them again like a load's orders do.
 */
async function storedMatters(sql: Connection, ref: Reference, now: number, days: number): Promise<StoredMatter[]> {
  const [rows] = await sql.query<(RowDataPacket & { id: number; createdAt: Date; categoryId: number; streetUnitId: number; title: string; address: string; requestType: RequestType; phone: string })[]>(
    `SELECT w.id, w.createdAt, w.categoryId, w.streetUnitId, w.title, w.address, w.requestType, w.citizenPhone AS phone
     FROM matter_fingerprints f JOIN work_orders w ON w.id = f.workOrderId
     WHERE f.matterId = f.workOrderId AND f.createdAt >= ? ORDER BY f.createdAt DESC LIMIT 50000`,
    [new Date(now - days * DAY)],
  );
  const categories = new Map(ref.categories.map((c) => [c.id, c]));
  const streets = new Map(ref.streets.map((s) => [s.street.id, s]));
  const matters: StoredMatter[] = [];
  for (const row of rows.reverse()) {
    const category = categories.get(row.categoryId);
    const place = streets.get(row.streetUnitId);
    if (!category || !place) continue;
    matters.push({ id: row.id, createdAt: row.createdAt.getTime(), category, place, title: row.title, address: row.address, requestType: row.requestType, phone: row.phone });
  }
  return matters;
}

/** New orders after the loaded ones, drawn like them (repeats of recent matters, new matters), written as registered orders. */
async function detectionOrders(sql: Connection, generator: OrderGenerator, recurrence: MatterRecurrence, state: LoadState, count: number, now: number): Promise<Detection[]> {
  recurrence.frozen = true;
  const detections: Detection[] = [];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = now + (i + 1) * 15_000;
    const day = generator.day(created);
    const sequence = (state.sequences.get(day) ?? 0) + 1;
    state.sequences.set(day, sequence);
    const id = ++state.maxId;
    const row = generator.row(id, orderNumber(day, sequence), created, null);
    rows.push(row.order);
    const input = matterInputOf(row.facts);
    detections.push({ id, matterId: row.facts.matterId, input: { ...input, createdAt: input.createdAt.toISOString() } });
  }
  recurrence.frozen = false;
  for (let i = 0; i < rows.length; i += 500) {
    await sql.query(`INSERT INTO work_orders (${COLUMNS.join(',')}) VALUES (${rows.slice(i, i + 500).join('),(')})`);
  }
  return detections;
}

async function deleteOrders(sql: Connection, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await sql.query('DELETE FROM matter_keys WHERE workOrderId IN (?)', [chunk]);
    await sql.query('DELETE FROM matter_fingerprints WHERE workOrderId IN (?)', [chunk]);
    await sql.query('DELETE FROM work_orders WHERE id IN (?)', [chunk]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (v: number | undefined) => (v === undefined ? '–' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));

interface SizeReport {
  size: number;
  measurement: Measurement;
  tables: string;
}

function timingRow(size: string, name: string, t: Timings, memoryAfter: Memory): string {
  const sorted = [...t.ms].sort((a, b) => a - b);
  const n = sorted.length || 1;
  return `| ${size} | ${name} | ${sorted.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(percentile(sorted, 99))} | ${ms(sorted[sorted.length - 1])} | ${(t.keys / n).toFixed(1)} | ${(t.keysRead / n).toFixed(1)} | ${(t.compared / n).toFixed(1)} | ${(t.returned / n).toFixed(1)} | ${(t.queryMs / n).toFixed(1)} / ${(t.fingerprintsMs / n).toFixed(1)} | ${memoryAfter.rssMb.toFixed(0)} | ${memoryAfter.heapUsedMb.toFixed(1)} |`;
}

function table(reports: SizeReport[]): string {
  const lines = [
    '| orders | case | n | p50 ms | p95 ms | p99 ms | max ms | keys / detection | of them read from the index | compared / detection | candidates / detection | candidate query / features read ms | RSS MB | heap used MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { size, measurement: m } of reports) {
    const label = size.toLocaleString('en');
    lines.push(timingRow(label, 'findCandidates', m.find, m.memoryAfterDetections));
    lines.push(timingRow(label, 'findCandidates + record', m.findAndRecord, m.memoryAfterDetections));
  }
  lines.push('', '| orders | RSS after start + warm-up MB | heap used MB | RSS after the detections MB | heap used MB | recurring orders: own matter compared / proposed | new matters: given a repeat/hotspot |', '|---:|---:|---:|---:|---:|---|---|');
  for (const { size, measurement: m } of reports) {
    lines.push(
      `| ${size.toLocaleString('en')} | ${m.memoryAfterStart.rssMb.toFixed(0)} | ${m.memoryAfterStart.heapUsedMb.toFixed(1)} | ${m.memoryAfterDetections.rssMb.toFixed(0)} | ${m.memoryAfterDetections.heapUsedMb.toFixed(1)} | ${m.retrieved} / ${m.found} of ${m.recurring} | ${m.flagged} / ${m.fresh} |`,
    );
  }
  return lines.join('\n');
}

function explainReport(m: Measurement): string {
  if (!m.explain) return 'no EXPLAIN';
  const lines = [
    `EXPLAIN of the candidate query (${m.explainKeys} keys read from the index; index key: c = caller, p = place bigram, t = MinHash of the text):`,
    '| id | select_type | table | type | key | rows | Extra | index key |',
    '|---:|---|---|---|---|---:|---|---|',
  ];
  // The branches read matter_keys in the order of the query's keys (the other parameters are times).
  const branchKeys = m.explainParameters.filter((p) => /^[cpt]:/.test(p));
  let branch = 0;
  for (const r of m.explain) {
    const key = r.table === 'matter_keys' ? (branchKeys[branch++] ?? '') : '';
    lines.push(`| ${r.id ?? ''} | ${r.select_type} | ${r.table ?? ''} | ${r.type ?? ''} | ${r.key ?? ''} | ${r.rows ?? ''} | ${r.Extra ?? ''} | ${key} |`);
  }
  const keyRows = m.explain.filter((r) => r.table === 'matter_keys');
  const indexed = keyRows.length > 0 && keyRows.every((r) => r.key === CANDIDATE_INDEX && r.type !== 'ALL' && r.type !== 'index');
  lines.push(
    indexed
      ? `matter_keys is read through ${CANDIDATE_INDEX} in all ${keyRows.length} branches (no full scan)`
      : `WARNING: matter_keys is not read through ${CANDIDATE_INDEX} in every branch (${keyRows.map((r) => `${r.type}/${r.key ?? 'no index'}`).join(', ')})`,
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const server = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const sizes = (process.env.BENCH_SIZES ?? String(envNumber('BENCH_ORDERS', 1_000_000)))
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error('BENCH_SIZES must be whole numbers, e.g. 100000,1000000');
  // The deadline tick (read from the environment by the escalation module, also in the child) would scan and update the
  // loaded orders during the load and the measurement: it has its own benchmark.
  process.env.ESCALATION_TICK_SECONDS = '0';
  const loadOnly = process.env.BENCH_LOAD_ONLY === '1';
  const detectionCount = envNumber('BENCH_DETECTIONS', 500);
  const warmupCount = envNumber('BENCH_WARMUP', 100);
  const reused = process.env.BENCH_DATABASE?.trim();
  let scratch: { name: string; url: string };
  if (reused) {
    const url = new URL(server.replace(/^mariadb:/, 'mysql:'));
    url.pathname = `/${reused}`;
    scratch = { name: reused, url: url.toString() };
  } else {
    scratch = await createScratchMysqlDatabase(server, 'jiesu_bench_repeat');
  }
  const keep = Boolean(reused) || loadOnly || process.env.BENCH_KEEP === '1';
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-bench-repeat-'));
  const sql = await createConnection({ uri: scratch.url, timezone: 'Z' });
  let restoreBufferPool: (() => Promise<void>) | null = null;
  let app: INestApplication | null = null;
  const reports: SizeReport[] = [];
  try {
    const config = benchConfig(scratch.url, directory);
    log(`database ${scratch.name} on ${new URL(server).host}${reused ? ' (reused)' : ''}`);
    restoreBufferPool = await sizeBufferPool(sql);
    // Migrations, the demo organisation, and the detector whose features the load stores (the app serves no requests).
    app = await createApp(config);
    app.useLogger(['error', 'warn']);
    await app.init();
    await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
    const detector = app.get(RepeatDetector, { strict: false });
    const ref = await loadReference(sql);
    const sink = new MatterIndexSink((input) => detector.featuresOf(input));
    await sql.query(`CREATE TABLE IF NOT EXISTS ${KEYS_LOAD_TABLE} (\`key\` varchar(48) NOT NULL, workOrderId int NOT NULL, createdAt datetime(3) NOT NULL) ENGINE=InnoDB`);
    let state = await readLoadState(sql);
    const now = Date.now();
    const recurrence = new MatterRecurrence(20261210 + state.orders, {
      share: 0.3,
      sameCaller: 0.45,
      chronic: 0.05,
      repeatWindowDays: config.repeatDetection.repeatWindowDays,
      hotspotWindowDays: config.repeatDetection.hotspotWindowDays,
    });
    const generator = new OrderGenerator(ref, now, config.centerTimeZone, 20261202 + state.orders, recurrence);

    for (const [i, size] of sizes.entries()) {
      state = await readLoadState(sql);
      if (size > state.orders) {
        recurrence.reset();
        const before = { ...recurrence.counts };
        await bulkLoad(scratch.url, generator, state, size - state.orders, now, sink);
        const made = { repeats: recurrence.counts.repeats - before.repeats, hotspots: recurrence.counts.hotspots - before.hotspots, fresh: recurrence.counts.newMatters - before.newMatters };
        log(`  of them: ${made.fresh.toLocaleString('en')} new matters, ${made.repeats.toLocaleString('en')} reports again by an earlier caller, ${made.hotspots.toLocaleString('en')} by another caller; ${sink.keyCount.toLocaleString('en')} index keys written`);
        await rebuildKeys(sql);
      } else {
        log(`${state.orders.toLocaleString('en')} orders already loaded (≥ ${size.toLocaleString('en')}): no load`);
      }
      log(await tableSizes(sql));
      if (loadOnly) {
        log(`BENCH_LOAD_ONLY: ${size.toLocaleString('en')} loaded, not measured`);
        continue;
      }
      if (recurrence.remembered === 0) {
        recurrence.prime(await storedMatters(sql, ref, now, Math.max(config.repeatDetection.repeatWindowDays, config.repeatDetection.hotspotWindowDays)));
        log(`${recurrence.remembered.toLocaleString('en')} matters of the stored orders remembered for the orders to detect`);
      }
      const detections = await detectionOrders(sql, generator, recurrence, state, warmupCount + detectionCount, now);
      const started = performance.now();
      try {
        const measurement = await measureInChild({
          databaseUrl: scratch.url,
          directory,
          explain: i === sizes.length - 1,
          warmup: detections.slice(0, warmupCount),
          measured: detections.slice(warmupCount),
        });
        log(`measured ${detectionCount} detections at ${state.orders.toLocaleString('en')} orders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        reports.push({ size: state.orders, measurement, tables: await tableSizes(sql) });
      } finally {
        await deleteOrders(
          sql,
          detections.map((d) => d.id),
        );
      }
    }
    if (reports.length === 0) return;
    log('');
    log(table(reports));
    log('');
    log(explainReport(reports[reports.length - 1].measurement));
    for (const r of reports) log(`at ${r.size.toLocaleString('en')} orders: ${r.tables}`);
    log(`machine load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${process.env.BENCH_BUFFER_POOL_MB ? `buffer pool ${process.env.BENCH_BUFFER_POOL_MB} MB` : "the server's buffer pool"})`);
  } finally {
    await app?.close();
    await restoreBufferPool?.();
    await sql.end();
    rmSync(directory, { recursive: true, force: true });
    if (keep) log(`kept database ${scratch.name}: BENCH_DATABASE=${scratch.name} reuses it`);
    else await dropMysqlDatabase(server, scratch.name);
  }
}

const jobFile = process.env.BENCH_REPEAT_JOB;
if (jobFile) {
  runChild(jobFile).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

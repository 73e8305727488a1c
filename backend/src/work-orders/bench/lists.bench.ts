/**
 * `npm run bench:lists`: the work-order lists of issue 8 on MariaDB/MySQL at 1,000,000 (and 5,000,000) orders.
 *
 * 1. Creates a scratch database on BENCH_MYSQL_URL or TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), migrates
 *    it, seeds the demo organisation (no orders), then bulk-loads orders with multi-row INSERTs through mysql2: spread
 *    over two years, across the demo units, categories, request types, channels and lifecycle states (most closed),
 *    deadlines that fit the state, Chinese titles/contents/addresses from word lists, some citizens calling often.
 * 2. Starts the real application on it — `node dist/main.js` with WORKERS=BENCH_WORKERS (1), in a process of its own;
 *    BENCH_WORKERS=0: the application inside the bench's process — and measures through HTTP with real tokens: every
 *    list case, detail and accept,
 *    sequentially (p50/p95/max); then the list mix with 5 concurrent list users while one intake loop registers orders,
 *    beside the intake loop alone, measured before and after the list users (the intake ratio divides by the mean of
 *    both), every registration a new caller's. A non-2xx answer counts as an error and is printed.
 * 3. Drops the scratch database, unless BENCH_KEEP=1 (then its name is printed; BENCH_DATABASE=<name> reuses it and
 *    loads only the rows a size still lacks).
 *
 * Environment: BENCH_SIZES=1000000,5000000 (or BENCH_ORDERS=1000000; each size is loaded on top of the previous),
 * BENCH_RUNS (20: measured runs per case), BENCH_CASE_SECONDS (60: a case stops after this, with at least 3 runs),
 * BENCH_WORKERS (1), BENCH_CONCURRENT_SECONDS (180: ≈ 50 lists of each case among the 5 users, so that its p95 is not its slowest one; each user also runs the whole list mix at least once), BENCH_THINK_MS (1000: a list user's
 * pause between lists; 0 = back to back), BENCH_LOAD_ONLY=1 (load and keep, measure nothing), BENCH_INTAKE_SECONDS (20), BENCH_BUFFER_POOL_MB (InnoDB buffer pool for the
 * run; unset = the server's), BENCH_KEEP, BENCH_DATABASE. See docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { type Connection, createConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { type RunningServer, startBenchServer } from '../../database/bench/bench-app';
import { dropMysqlDatabase, openBenchDatabase } from '../../database/cli/mysql-scratch';
import { DemoDataService } from '../../demo-data/demo-data.service';
import { DEMO_PASSWORD, unitUsername } from '../../demo-data/demo-organisation';
import { encodeListCursor } from '../list/list-plan';
import { bulkLoad, DAY, envNumber, loadReference, log, OrderGenerator, RARE_WORD, readLoadState, type Reference, sizeBufferPool, type UnitRow } from './order-generator';
import { screeningQueueDrained } from './screening-queue-drained';

const LIST_USERS = 5;
/**
 * The application measured: `node dist/main.js` with this many worker processes (1: one process, no cluster), in
 * processes of their own so that the load generator's own work (the 5 list users' and the intake loop's requests, their
 * answers parsed) is not done on the server's event loop; 0 = the application inside the bench's process. One by
 * default: this bench measures the queries and what they leave of the machine for intake; bench:intake measures the
 * cluster (WORKERS=2).
 */
const WORKERS = envNumber('BENCH_WORKERS', 1);
/** What the WORKERS server gets besides benchAppEnvironment: the bench's users log in as often as they like. */
const SERVER_ENVIRONMENT = { RATE_LIMIT_LOGIN_PER_USERNAME: '1000000', RATE_LIMIT_LOGIN_PER_IP: '1000000' };
/** The depth of the deep cursor case: page 5,000 of 20 orders. */
const DEEP_CURSOR_ORDERS = 100_000;

const SIZES = (process.env.BENCH_SIZES ?? String(envNumber('BENCH_ORDERS', 1_000_000)))
  .split(/[\s,]+/)
  .filter((s) => s !== '')
  .map((s) => Number(s.replace(/_/g, '')));
const RUNS = envNumber('BENCH_RUNS', 20);
const CASE_SECONDS = envNumber('BENCH_CASE_SECONDS', 60);
/**
 * How long the 5 users list. At 1 s between a user's lists each case comes round about every 17 s per user: 60 s gave
 * 17 lists of a case, whose p95 (nearest rank) is its slowest — one pause of the machine decided it.
 */
const CONCURRENT_SECONDS = envNumber('BENCH_CONCURRENT_SECONDS', 180);
const INTAKE_SECONDS = envNumber('BENCH_INTAKE_SECONDS', 20);
/** Registrations before the first intake measurement, not measured. */
const INTAKE_WARM_SECONDS = 5;
const THINK_MS = envNumber('BENCH_THINK_MS', 1_000);
/** Load (and keep) the orders without measuring: a later run with BENCH_DATABASE measures on a quiet machine. */
const LOAD_ONLY = process.env.BENCH_LOAD_ONLY === '1';
/** A word in about one order in five. */
const COMMON_WORD = '路灯';

// ---------------------------------------------------------------------------------------------------------------
// Measurement through HTTP
// ---------------------------------------------------------------------------------------------------------------

interface Sample {
  ms: number;
  ok: boolean;
}

interface CaseResult {
  name: string;
  sequential: Sample[];
  concurrent: Sample[];
  errors: string[];
}

interface Http {
  request(method: 'GET' | 'POST', username: string, path: string, body?: object): Promise<{ status: number; body: unknown; ms: number }>;
}

function httpClient(base: string): Http {
  const tokens = new Map<string, Promise<string>>();
  const login = (username: string) => {
    let token = tokens.get(username);
    if (!token) {
      token = fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      }).then(async (response) => {
        const body = (await response.json()) as { accessToken?: string };
        if (response.status !== 200 || !body.accessToken) throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(body)}`);
        return body.accessToken;
      });
      tokens.set(username, token);
    }
    return token;
  };
  return {
    async request(method, username, path, body) {
      const token = await login(username);
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const raw = await response.text();
      const ms = performance.now() - started;
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, ms };
    },
  };
}

interface BenchCase {
  name: string;
  /** Part of the list mix the concurrent users run. */
  list: boolean;
  run(http: Http, run: number): Promise<{ status: number; body: unknown; ms: number }>;
}

interface Fixtures {
  street: UnitRow;
  bureau: UnitRow;
  district: UnitRow;
  phone: string;
  detailIds: number[];
  /** Dispatched orders still waiting for acceptance, with the handler of their lead unit. */
  toAccept: { id: number; version: number; username: string }[];
  intake: { categoryId: number; districtUnitId: number; streetUnitId: number };
  /** nextCursor as page 5,000 (20 a page) of the default list would hand it out: after the 100,000th newest order. */
  deepCursor: string;
  /** How many orders that cursor is past: 100,000, or all of them in a run with fewer. */
  deepCursorDepth: number;
}

async function fixtures(sql: Connection, ref: Reference, phone: string): Promise<Fixtures> {
  const byCode = (code: string) => {
    const unit = ref.units.find((u) => u.code === code);
    if (!unit) throw new Error(`demo unit ${code} is missing`);
    return unit;
  };
  const street = byCode('dc_cy');
  const district = byCode('dc');
  const bureau = byCode('cgj');
  const [[{ maxId }]] = await sql.query<(RowDataPacket & { maxId: number | null })[]>('SELECT MAX(id) AS maxId FROM work_orders');
  const [ids] = await sql.query<(RowDataPacket & { id: number })[]>('SELECT id FROM work_orders WHERE id >= ? ORDER BY id LIMIT 200', [
    Math.floor((maxId ?? 0) * 0.37),
  ]);
  const [waiting] = await sql.query<(RowDataPacket & { id: number; version: number; leadUnitId: number })[]>(
    "SELECT id, version, leadUnitId FROM work_orders WHERE status = 'dispatched' AND leadUnitId IS NOT NULL ORDER BY id DESC LIMIT 500",
  );
  const toAccept = waiting.map((w) => {
    const unit = ref.unitById.get(w.leadUnitId);
    if (!unit) throw new Error(`order ${w.id} is led by an unknown unit`);
    return { id: w.id, version: w.version, username: unitUsername(unit.code, 'handler') };
  });
  const category = ref.categories.find((c) => c.code === 'C010101') ?? ref.categories[0];
  // The 100,000th newest order (the oldest one when a small run has fewer): the cursor page 5,000 of 20 hands out.
  const [[deep]] = await sql.query<(RowDataPacket & { id: number; createdAt: Date; depth: number })[]>(
    `SELECT id, createdAt, (SELECT COUNT(*) FROM (SELECT id FROM work_orders ORDER BY createdAt DESC, id DESC LIMIT ${DEEP_CURSOR_ORDERS}) AS n) AS depth
       FROM (SELECT id, createdAt FROM work_orders ORDER BY createdAt DESC, id DESC LIMIT ${DEEP_CURSOR_ORDERS}) AS newest
      ORDER BY createdAt ASC, id ASC LIMIT 1`,
  );
  if (!deep) throw new Error('work_orders is empty: nothing to list');
  return {
    deepCursor: encodeListCursor({ key: 'createdAt.DESC', segment: 0, value: deep.createdAt.getTime(), id: deep.id }),
    deepCursorDepth: Number(deep.depth),
    street,
    bureau,
    district,
    phone,
    detailIds: ids.map((r) => r.id),
    toAccept,
    intake: { categoryId: category.id, districtUnitId: district.id, streetUnitId: street.id },
  };
}

function benchCases(f: Fixtures, now: number): BenchCase[] {
  const list = (name: string, username: string, query: string): BenchCase => ({
    name,
    list: true,
    run: (http) => http.request('GET', username, `/api/work-orders${query}`),
  });
  const from = new Date(now - 60 * DAY).toISOString();
  const to = new Date(now - 30 * DAY).toISOString();
  let nextAccept = 0;
  const streetHandler = unitUsername(f.street.code, 'handler');
  return [
    list('admin: default list', 'admin', ''),
    list(`street handler (${f.street.code}): own list`, unitUsername(f.street.code, 'handler'), ''),
    list(`bureau handler (${f.bureau.code}): own list`, unitUsername(f.bureau.code, 'handler'), ''),
    list('status=processing', 'admin', '?status=processing'),
    list(`leadUnitId=${f.district.code} (7-unit subtree)`, 'admin', `?leadUnitId=${f.district.id}`),
    list('createdFrom/createdTo (30 days)', 'admin', `?createdFrom=${encodeURIComponent(from)}&createdTo=${encodeURIComponent(to)}`),
    list('citizenPhone (a frequent caller)', 'admin', `?citizenPhone=${f.phone}`),
    list(`keyword=${COMMON_WORD} (common, newest first)`, 'admin', `?keyword=${encodeURIComponent(COMMON_WORD)}`),
    list(`keyword=${COMMON_WORD} (common) sortBy=relevance`, 'admin', `?keyword=${encodeURIComponent(COMMON_WORD)}&sortBy=relevance`),
    list(`keyword=${RARE_WORD} (rare)`, 'admin', `?keyword=${encodeURIComponent(RARE_WORD)}`),
    list(`street handler: keyword=${COMMON_WORD}`, streetHandler, `?keyword=${encodeURIComponent(COMMON_WORD)}`),
    list('sortBy=replyDueAt ASC', 'admin', '?sortBy=replyDueAt&sortOrder=ASC'),
    list('sortBy=acceptDueAt ASC', 'admin', '?sortBy=acceptDueAt&sortOrder=ASC'),
    list('sortBy=updatedAt DESC', 'admin', '?sortBy=updatedAt&sortOrder=DESC'),
    list('street handler: processing by acceptDueAt', streetHandler, '?status=processing&sortBy=acceptDueAt&sortOrder=ASC'),
    list('bureau handler: sortBy=replyDueAt ASC', unitUsername(f.bureau.code, 'handler'), '?sortBy=replyDueAt&sortOrder=ASC'),
    list(
      `cursor page ${Math.ceil(f.deepCursorDepth / 20).toLocaleString('en')} deep (after ${f.deepCursorDepth.toLocaleString('en')} orders)`,
      'admin',
      `?pageSize=20&cursor=${f.deepCursor}`,
    ),
    {
      name: 'GET /:id (detail)',
      list: false,
      run: (http, i) => http.request('GET', 'admin', `/api/work-orders/${f.detailIds[i % f.detailIds.length]}`),
    },
    {
      name: 'POST /:id/accept (dispatched order)',
      list: false,
      run: async (http) => {
        const order = f.toAccept[nextAccept++];
        if (!order) return { status: 0, body: 'no dispatched order left to accept', ms: 0 };
        return http.request('POST', order.username, `/api/work-orders/${order.id}/accept`, { version: order.version });
      },
    },
  ];
}

const isOk = (status: number) => status >= 200 && status < 300;
const describe = (status: number, body: unknown) => `${status} ${(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300)}`;

async function sequential(http: Http, cases: BenchCase[], results: Map<string, CaseResult>): Promise<void> {
  for (const c of cases) {
    const result = results.get(c.name) as CaseResult;
    const warm = await c.run(http, RUNS + 1); // not counted: fills caches and the statement cache
    if (!isOk(warm.status)) result.errors.push(`warm-up: ${describe(warm.status, warm.body)}`);
    const started = performance.now();
    for (let i = 0; i < RUNS; i++) {
      if (i >= 3 && performance.now() - started > CASE_SECONDS * 1000) break;
      const answer = await c.run(http, i);
      const ok = isOk(answer.status);
      result.sequential.push({ ms: answer.ms, ok });
      if (!ok) result.errors.push(`run ${i + 1}: ${describe(answer.status, answer.body)}`);
    }
    log(`  ${c.name}: ${summary(result.sequential)}`);
  }
}

/** Callers the intake loops registered for so far: each registration is a new caller's (no phase repeats another's). */
let callersSoFar = 0;

/** Registers orders one after the other until `stop()` is true; returns how many (and the errors). */
async function intakeLoop(http: Http, f: Fixtures, stop: () => boolean, errors: string[]): Promise<{ count: number; seconds: number; samples: Sample[] }> {
  const started = performance.now();
  const samples: Sample[] = [];
  let count = 0;
  for (let i = 0; !stop(); i++) {
    const caller = callersSoFar++;
    const answer = await http.request('POST', 'agent1', '/api/work-orders', {
      channel: 'phone',
      citizenName: '王先生',
      citizenPhone: `139${String(10_000_000 + caller).slice(-8)}`,
      address: `东城区朝阳街道朝阳路${(i % 300) + 1}号`,
      districtUnitId: f.intake.districtUnitId,
      streetUnitId: f.intake.streetUnitId,
      categoryId: f.intake.categoryId,
      title: `朝阳路${COMMON_WORD}不亮`,
      content: `来电人反映：朝阳路${(i % 300) + 1}号附近${COMMON_WORD}不亮，已持续多日，存在安全隐患。希望相关部门尽快处理。`,
    });
    const ok = isOk(answer.status);
    samples.push({ ms: answer.ms, ok });
    if (ok) count++;
    else if (errors.length < 20) errors.push(describe(answer.status, answer.body));
  }
  return { count, seconds: (performance.now() - started) / 1000, samples };
}

/** Waits until the repeat screening queue (repeat_screening_pending) is empty; logs how long that took. */
async function screeningQueueEmptied(sql: Connection): Promise<void> {
  const waiting = async () => Number((await sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM repeat_screening_pending'))[0][0].n);
  const { waitingAtStart, lagMs } = await screeningQueueDrained(waiting, { pollMs: 200, giveUpAfterMs: 900_000, when: 'before the next phase' });
  if (waitingAtStart > 0) log(`  (repeat screening queue: ${waitingAtStart} order(s) screened in ${(lagMs / 1000).toFixed(1)} s before the next phase)`);
}

interface IntakeFigures {
  /** Intake alone: before and after the list users (the mean of both is what the ratio divides by). */
  aloneRate: number;
  aloneBeforeRate: number;
  aloneAfterRate: number;
  aloneSamples: Sample[];
  underLoadRate: number;
  underLoadSamples: Sample[];
  errors: string[];
}

async function concurrentPhase(http: Http, sql: Connection, cases: BenchCase[], f: Fixtures, results: Map<string, CaseResult>): Promise<IntakeFigures> {
  const errors: string[] = [];
  const forSeconds = (seconds: number) => {
    const end = performance.now() + seconds * 1000;
    return () => performance.now() > end;
  };
  // Not measured: the registration path warmed (a new server per size: its first registrations compile and fill caches).
  await intakeLoop(http, f, forSeconds(INTAKE_WARM_SECONDS), errors);
  // The repeat detector screens after the answer, slower than one loop registers: each phase starts with its queue
  // empty, so that no phase pays for the screening of the one before it.
  await screeningQueueEmptied(sql);
  // Intake alone is measured before and after the list users, and the ratio divides by the mean of both: the machine's
  // own drift (a VM's speed moves by 10-15 % over minutes here) would otherwise count as the lists' effect.
  const before = await intakeLoop(http, f, forSeconds(INTAKE_SECONDS), errors);
  log(`  intake alone, before: ${(before.count / before.seconds).toFixed(1)} registrations/s (${summary(before.samples)})`);

  await screeningQueueEmptied(sql);
  // Each user runs the list mix (from a different case) for CONCURRENT_SECONDS and at least once through; the
  // intake loop registers until the last user is done.
  const lists = cases.filter((c) => c.list);
  const end = performance.now() + CONCURRENT_SECONDS * 1000;
  let usersLeft = LIST_USERS;
  const users = Array.from({ length: LIST_USERS }, async (_, user) => {
    for (let i = 0; i < lists.length || performance.now() < end; i++) {
      const c = lists[(user * 3 + i) % lists.length];
      const result = results.get(c.name) as CaseResult;
      const answer = await c.run(http, i);
      const ok = isOk(answer.status);
      result.concurrent.push({ ms: answer.ms, ok });
      if (!ok) result.errors.push(`concurrent: ${describe(answer.status, answer.body)}`);
      // A person reads the list before refreshing it (BENCH_THINK_MS=0: back to back, as fast as the server answers).
      if (THINK_MS > 0) await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    }
    usersLeft--;
  });
  const underLoad = await intakeLoop(http, f, () => usersLeft === 0, errors);
  await Promise.all(users);
  log(`  intake with ${LIST_USERS} list users: ${(underLoad.count / underLoad.seconds).toFixed(1)} registrations/s (${summary(underLoad.samples)})`);
  await screeningQueueEmptied(sql);
  const after = await intakeLoop(http, f, forSeconds(INTAKE_SECONDS), errors);
  log(`  intake alone, after: ${(after.count / after.seconds).toFixed(1)} registrations/s (${summary(after.samples)})`);
  return {
    aloneRate: (before.count + after.count) / (before.seconds + after.seconds),
    aloneBeforeRate: before.count / before.seconds,
    aloneAfterRate: after.count / after.seconds,
    aloneSamples: [...before.samples, ...after.samples],
    underLoadRate: underLoad.count / underLoad.seconds,
    underLoadSamples: underLoad.samples,
    errors,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function stats(samples: Sample[]): { n: number; p50: string; p95: string; max: string; errors: number } {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const f = (v: number | undefined) => (v === undefined ? '–' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
  return { n: samples.length, p50: f(percentile(sorted, 50)), p95: f(percentile(sorted, 95)), max: f(sorted[sorted.length - 1]), errors: samples.filter((s) => !s.ok).length };
}

function summary(samples: Sample[]): string {
  const s = stats(samples);
  return `n=${s.n} p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms${s.errors ? `, ${s.errors} errors` : ''}`;
}

interface SizeReport {
  size: number;
  results: CaseResult[];
  intake: IntakeFigures;
}

function table(reports: SizeReport[], database: string): string {
  const lines = [
    `| orders | case | seq n | seq p50 ms | seq p95 ms | seq max ms | ${LIST_USERS} users n | ${LIST_USERS} users p50 ms | ${LIST_USERS} users p95 ms | ${LIST_USERS} users max ms | errors |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const report of reports) {
    const size = report.size.toLocaleString('en');
    for (const r of report.results) {
      const s = stats(r.sequential);
      const c = stats(r.concurrent);
      const concurrent = r.concurrent.length ? `${c.n} | ${c.p50} | ${c.p95} | ${c.max}` : '– | – | – | –';
      lines.push(`| ${size} | ${r.name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.max} | ${concurrent} | ${r.errors.length} |`);
    }
    const alone = stats(report.intake.aloneSamples);
    const loaded = stats(report.intake.underLoadSamples);
    lines.push(`| ${size} | intake alone (registrations/s: ${report.intake.aloneRate.toFixed(1)}; before ${report.intake.aloneBeforeRate.toFixed(1)}, after ${report.intake.aloneAfterRate.toFixed(1)}) | ${alone.n} | ${alone.p50} | ${alone.p95} | ${alone.max} | – | – | – | – | ${alone.errors} |`);
    lines.push(
      `| ${size} | intake with ${LIST_USERS} list users (registrations/s: ${report.intake.underLoadRate.toFixed(1)}; ratio ${(report.intake.underLoadRate / report.intake.aloneRate).toFixed(2)}×) | – | – | – | – | ${loaded.n} | ${loaded.p50} | ${loaded.p95} | ${loaded.max} | ${loaded.errors} |`,
    );
  }
  return `${lines.join('\n')}\n\ndatabase: ${database}; runs per case ≤ ${RUNS} (≤ ${CASE_SECONDS} s each, at least ${Math.min(3, RUNS)}), ${LIST_USERS} list users for ≥ ${CONCURRENT_SECONDS} s and ≥ one round of the list mix each, ${THINK_MS} ms between a user's lists, intake alone ${INTAKE_SECONDS} s before and after them (after ${INTAKE_WARM_SECONDS} s of registrations not measured)`;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (SIZES.length === 0 || SIZES.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`BENCH_SIZES must be whole numbers, e.g. 1000000,5000000`);
  process.env.ESCALATION_TICK_SECONDS = '0'; // the deadline tick has its own bench; here it would only add noise
  const scratch = await openBenchDatabase('jiesu_bench_lists');
  const { server, reused, keep } = scratch;
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-bench-'));
  const sql = await createConnection({ uri: scratch.url, timezone: 'Z' });
  let app: INestApplication | null = null;
  let benchServer: RunningServer | null = null;
  let restoreBufferPool: (() => Promise<void>) | null = null;
  const reports: SizeReport[] = [];
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'never',
      CONSOLE_DIR: join(directory, 'no-console'),
      DATA_DIR: join(directory, 'data'),
      RATE_LIMIT_LOGIN_PER_USERNAME: '1000000',
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      RATE_LIMIT_API_PER_USER: '1000000',
    });
    log(`database ${scratch.name} on ${new URL(server).host}${reused ? ' (reused)' : ''}`);
    restoreBufferPool = await sizeBufferPool(sql);
    const ref = await (async () => {
      // Migrations and the demo organisation come from the real application (then it stops: the load bypasses it).
      const seeding = await createApp(config);
      seeding.useLogger(['error', 'warn']);
      await seeding.init();
      await seeding.get(DemoDataService).seedIfEmpty({ workOrders: false });
      await seeding.close();
      return loadReference(sql);
    })();
    let state = await readLoadState(sql);
    const now = Date.now();
    const generator = new OrderGenerator(ref, now, config.centerTimeZone, 20261202 + state.orders);

    for (const size of SIZES) {
      state = await readLoadState(sql); // the previous size's intake added orders
      if (size > state.orders) {
        await bulkLoad(scratch.url, generator, state, size - state.orders, now);
        const analyzed = performance.now();
        await sql.query('ANALYZE TABLE work_orders, work_order_assisting_units');
        log(`ANALYZE TABLE in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);
        await fillSearchIndex(sql);
      } else {
        log(`${state.orders.toLocaleString('en')} orders already loaded (≥ ${size.toLocaleString('en')}): no load`);
      }
      if (LOAD_ONLY) {
        log(`BENCH_LOAD_ONLY: ${size.toLocaleString('en')} loaded, not measured`);
        continue;
      }
      const startedApp = performance.now();
      let port: number;
      if (WORKERS > 0) {
        benchServer = await startBenchServer(scratch.url, directory, WORKERS, SERVER_ENVIRONMENT);
        port = benchServer.port;
        log(`node dist/main.js with WORKERS=${WORKERS} answering in ${((performance.now() - startedApp) / 1000).toFixed(1)} s (primary pid ${benchServer.pid})`);
      } else {
        app = await createApp(config);
        app.useLogger(['error', 'warn']);
        await app.listen(0, '127.0.0.1');
        log(`in-process application started in ${((performance.now() - startedApp) / 1000).toFixed(1)} s`);
        port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
      }
      const http = httpClient(`http://127.0.0.1:${port}`);
      const f = await fixtures(sql, ref, generator.frequentPhone);
      const cases = benchCases(f, now);
      const results = new Map<string, CaseResult>(cases.map((c) => [c.name, { name: c.name, sequential: [], concurrent: [], errors: [] }]));

      // Numbered pages stop after the first 2,000 orders; deeper pages follow the cursor (timed as a case).
      const deep = await http.request('GET', 'admin', '/api/work-orders?page=5000&pageSize=20');
      log(`page=5000: ${describe(deep.status, deep.body)} (${deep.ms.toFixed(0)} ms)`);

      log(`sequential (${state.orders.toLocaleString('en')} orders):`);
      await sequential(http, cases, results);
      log(`${LIST_USERS} concurrent list users and one intake loop:`);
      const intake = await concurrentPhase(http, sql, cases, f, results);
      for (const r of results.values()) {
        if (r.errors.length === 0) continue;
        log(`errors of ${r.name} (${r.errors.length}):`);
        for (const e of r.errors.slice(0, 5)) log(`  ${e}`);
      }
      for (const e of intake.errors.slice(0, 5)) log(`intake error: ${e}`);
      reports.push({ size: state.orders, results: [...results.values()], intake });
      await benchServer?.stop();
      benchServer = null;
      await app?.close();
      app = null;
    }
    log('');
    log(table(reports, scratch.name));
  } finally {
    await benchServer?.stop();
    if (app) await app.close();
    await restoreBufferPool?.();
    await sql.end();
    rmSync(directory, { recursive: true, force: true });
    if (keep) log(`kept database ${scratch.name}: BENCH_DATABASE=${scratch.name} reuses it`);
    else await dropMysqlDatabase(server, scratch.name);
  }
}

/**
 * The bulk load bypasses the application, so the full-text index is filled here the way the search migration fills it
 * for existing orders (the Mroonga table: title, and number, address and content as the body). Mroonga updates its
 * index row by row on a table that already has rows — about 90 rows/s here once a million were in — so the index is
 * switched off for the load and built in one pass afterwards (DISABLE KEYS / ENABLE KEYS), as on the first, empty fill.
 */
async function fillSearchIndex(sql: Connection): Promise<void> {
  const started = performance.now();
  const [[{ maxId }]] = await sql.query<(RowDataPacket & { maxId: number | null })[]>('SELECT MAX(id) AS maxId FROM work_orders');
  const [[{ indexed }]] = await sql.query<(RowDataPacket & { indexed: number | null })[]>('SELECT MAX(id) AS indexed FROM work_order_search');
  let rows = 0;
  await sql.query('ALTER TABLE work_order_search DISABLE KEYS');
  try {
    for (let from = indexed ?? 0; from < (maxId ?? 0); from += 50_000) {
      const [result] = await sql.query<ResultSetHeader>(
        'INSERT INTO work_order_search (id, title, body) SELECT id, title, CONCAT_WS(CHAR(10), number, address, content) FROM work_orders WHERE id > ? AND id <= ?',
        [from, from + 50_000],
      );
      rows += result.affectedRows;
    }
  } finally {
    await sql.query('ALTER TABLE work_order_search ENABLE KEYS');
  }
  const seconds = (performance.now() - started) / 1000;
  log(`search index: ${rows.toLocaleString('en')} orders added in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')}/s, index built once at the end)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

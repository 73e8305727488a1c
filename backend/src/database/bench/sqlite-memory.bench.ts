/**
 * `npm run bench:sqlite-memory` (issue 8): the SQLite engine under a steady load of registrations, to see where the
 * latency and the memory go. The real app runs in this process on a scratch SQLite file (migrated, demo organisation
 * without work orders, listening on 127.0.0.1, port 0); the load — POST /api/work-orders at a fixed concurrency over
 * keep-alive HTTP — comes from a child process (this same file), so its memory and CPU are not the server's.
 *
 * Printed every 10 s, during the load and for the idle time after it: RSS, V8 heap used/total, external and
 * arrayBuffers (process.memoryUsage()), and the server's counters for the interval: registrations, statements sent,
 * statements prepared by better-sqlite3 (a prepare is a statement-cache miss in TypeORM's driver), and how long the
 * SQLite transactions waited in the TransactionService queue vs ran. At the end: p50/p95/p99/max latency.
 *
 * Environment: BENCH_CONCURRENCY (50), BENCH_SECONDS (60), BENCH_IDLE_SECONDS (30), BENCH_LOG_LEVEL (warn).
 * Run with `node --expose-gc` to also print the memory after a full garbage collection at the end.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
// A benchmark is an entry point that assembles the application, like database/cli/ (which the boundary rule allows).
import { DEMO_PASSWORD } from '../../demo-data/demo-organisation';
import { TransactionService } from '../transaction.service';
import { startBenchApp } from './bench-app';

const CONCURRENCY = positive('BENCH_CONCURRENCY', 50);
const SECONDS = positive('BENCH_SECONDS', 60);
const IDLE_SECONDS = positive('BENCH_IDLE_SECONDS', 30);
const SAMPLE_MS = 10_000;
/** Numbers each request, so that a slow answer can be found on the server's side too. */
const REQUEST_HEADER = 'x-bench-request';
const MB = 2 ** 20;

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, not ${process.env[name]}`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// The bodies: leaves of the demo category tree, a district and one of its streets, Chinese text, distinct phones.

interface Reference {
  categories: { id: number }[];
  districts: { id: number; streets: number[] }[];
}

const ROADS = ['朝阳路', '东关大街', '西湖路', '金桥路', '滨江路', '银杏街'];
const MATTERS = ['路灯不亮', '人行道破损', '顶楼漏水', '夜间施工扰民', '垃圾多日未清运', '消防通道长期违停'];

function body(reference: Reference, n: number): string {
  const category = reference.categories[n % reference.categories.length];
  const district = reference.districts[(n >> 1) % reference.districts.length];
  const street = district.streets[(n >> 3) % district.streets.length];
  const road = ROADS[(n >> 2) % ROADS.length];
  const matter = MATTERS[n % MATTERS.length];
  return JSON.stringify({
    channel: 'phone',
    urgency: n % 11 === 0 ? 'urgent' : 'normal',
    citizenName: n % 2 === 0 ? '王先生' : '李女士',
    citizenPhone: `139${String(10_000_000 + ((n * 7_919) % 90_000_000))}`,
    citizenConfidential: false,
    address: `${road}${1 + (n % 188)}号`,
    districtUnitId: district.id,
    streetUnitId: street,
    categoryId: category.id,
    title: `${road}${matter}`,
    content: `市民反映${road}${1 + (n % 97)}号附近${matter}，已持续${2 + (n % 6)}天，请求尽快处理。`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The load (child process).

interface LoadTask {
  port: number;
  token: string;
  reference: Reference;
  concurrency: number;
  seconds: number;
}

interface LoadResult {
  latencies: number[];
  /** Answers slower than 2 s (at most 50): which request, when it was sent (Date.now()), how long it took. */
  slow: { n: number; sentAt: number; ms: number }[];
  errors: Record<string, number>;
  firstError: string | null;
  elapsedMs: number;
}

async function runLoad(task: LoadTask): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const post = (payload: string, n: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: task.port,
          path: '/api/work-orders',
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${task.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            [REQUEST_HEADER]: String(n),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  const result: LoadResult = { latencies: [], slow: [], errors: {}, firstError: null, elapsedMs: 0 };
  const started = performance.now();
  const endAt = started + task.seconds * 1000;
  let next = 0;
  const loop = async () => {
    while (performance.now() < endAt) {
      const n = next++;
      const before = performance.now();
      const sentAt = Date.now();
      let failure: string | null = null;
      try {
        const answer = await post(body(task.reference, n), n);
        if (answer.status !== 201) failure = `${answer.status}: ${answer.text}`;
      } catch (error) {
        failure = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const ms = performance.now() - before;
      if (ms > 2000 && result.slow.length < 50) result.slow.push({ n, sentAt, ms });
      if (failure === null) result.latencies.push(ms);
      else {
        const key = failure.split(':')[0];
        result.errors[key] = (result.errors[key] ?? 0) + 1;
        result.firstError ??= failure.slice(0, 300);
      }
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, loop));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// The server (this process): the app, the probes, the samples.

interface Probes {
  statements: number;
  prepares: number;
  /** The first prepared texts seen during the load, to show what makes them differ (the full set would itself fill the heap). */
  preparedSamples: string[];
  transactions: number;
  queuedMs: number;
  runningMs: number;
}

/**
 * Counts statements (TypeORM's logger.logQuery, called for each one), prepares (better-sqlite3's Database#prepare,
 * called by TypeORM only on a statement-cache miss) and the SQLite transactions' time waiting in the queue vs running.
 */
function attachProbes(app: INestApplication): Probes {
  const probes: Probes = { statements: 0, prepares: 0, preparedSamples: [], transactions: 0, queuedMs: 0, runningMs: 0 };
  const dataSource = app.get(DataSource);
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, queryRunner) => {
    probes.statements++;
    logQuery(query, parameters, queryRunner);
  };
  const connection = (dataSource.driver as BetterSqlite3Driver).databaseConnection as { prepare: (sql: string) => unknown };
  const prepare = connection.prepare.bind(connection);
  connection.prepare = (sql: string) => {
    probes.prepares++;
    if (probes.preparedSamples.length < 40) probes.preparedSamples.push(sql);
    return prepare(sql);
  };
  const transactions = app.get(TransactionService);
  const run = transactions.run.bind(transactions);
  const transaction = dataSource.transaction.bind(dataSource) as (work: unknown) => Promise<unknown>;
  let enqueuedAt: number[] = [];
  transactions.run = (work) => {
    enqueuedAt.push(performance.now());
    return run(work);
  };
  (dataSource as { transaction: unknown }).transaction = async (work: unknown) => {
    const started = performance.now();
    // The queue is first in, first out: the transaction starting now is the oldest enqueued one.
    const queued = enqueuedAt.shift();
    if (queued !== undefined) probes.queuedMs += started - queued;
    try {
      return await transaction(work);
    } finally {
      probes.transactions++;
      probes.runningMs += performance.now() - started;
    }
  };
  enqueuedAt = [];
  return probes;
}

/** Linux: the resident memory by kind (anonymous: heaps and malloc; file: the node binary and libraries mapped in). */
function residentKinds(): string {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
    return `RssAnon ${kb('RssAnon').toFixed(0)} MB, RssFile ${kb('RssFile').toFixed(0)} MB, RssShmem ${kb('RssShmem').toFixed(0)} MB`;
  } catch {
    return 'no /proc/self/status';
  }
}

/**
 * Linux: resident memory by mapping, to tell the glibc heap ([heap], grown with brk: malloc of the main thread, which
 * can only give memory back from its top) from anonymous mappings (V8's heap pages, large malloc blocks, the 64 MB
 * arenas of other threads) and files.
 */
function residentMappings(): string {
  try {
    const totals = { heap: 0, anonymous: 0, arenas: 0, files: 0 };
    let kind: keyof typeof totals = 'anonymous';
    for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (mapping) {
        const name = mapping[3];
        // A thread's malloc arena starts on a 64 MB boundary (glibc HEAP_MAX_SIZE); V8's pages rarely do.
        const arena = name === '' && Number(BigInt(`0x${mapping[1]}`) % BigInt(64 * MB)) === 0;
        kind = name === '[heap]' ? 'heap' : name.startsWith('/') ? 'files' : arena ? 'arenas' : 'anonymous';
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) totals[kind] += Number(rss[1]) / 1024;
    }
    return `[heap] ${totals.heap.toFixed(0)} MB, thread malloc arenas ${totals.arenas.toFixed(0)} MB, other anonymous ${totals.anonymous.toFixed(0)} MB, files ${totals.files.toFixed(0)} MB`;
  } catch {
    return 'no /proc/self/smaps';
  }
}

function memoryLine(): string {
  const m = process.memoryUsage();
  return `RSS ${(m.rss / MB).toFixed(0)} MB, heap used ${(m.heapUsed / MB).toFixed(0)} / total ${(m.heapTotal / MB).toFixed(0)} MB, external ${(m.external / MB).toFixed(1)} MB, arrayBuffers ${(m.arrayBuffers / MB).toFixed(1)} MB`;
}

async function serve(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-sqlite-memory-'));
  const sqlitePath = join(directory, 'jiesu.sqlite');
  let app: INestApplication | null = null;
  try {
    const running = await startBenchApp(`sqlite:${sqlitePath}`, directory);
    app = running.app;
    const port = running.port;
    // When each request reached the server and how long the server took to answer it (wall clock, as the client's).
    const served = new Map<number, { arrivedAt: number; ms: number }>();
    (app.getHttpServer() as Server).on('request', (incoming: IncomingMessage, outgoing: ServerResponse) => {
      const n = Number(incoming.headers[REQUEST_HEADER]);
      if (!Number.isInteger(n)) return;
      const arrivedAt = Date.now();
      const started = performance.now();
      outgoing.on('finish', () => served.set(n, { arrivedAt, ms: performance.now() - started }));
    });
    const dataSource = app.get(DataSource);
    const reference = await readReference(dataSource);
    const token = await login(port);
    const pragmas = ['journal_mode', 'synchronous', 'cache_size', 'mmap_size', 'journal_size_limit', 'wal_autocheckpoint', 'temp_store']
      .map((p) => `${p}=${JSON.stringify(((dataSource.driver as BetterSqlite3Driver).databaseConnection as { pragma: (s: string, o: object) => unknown }).pragma(p, { simple: true }))}`)
      .join(', ');
    const statementCacheSize = (dataSource.options as { statementCacheSize?: number }).statementCacheSize ?? 100;
    log(`SQLite at ${sqlitePath}; TypeORM statementCacheSize ${statementCacheSize}; ${pragmas}; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}`);
    log(`concurrency ${CONCURRENCY}, ${SECONDS} s of registrations, then ${IDLE_SECONDS} s idle; samples every ${SAMPLE_MS / 1000} s`);
    const probes = attachProbes(app);
    log(`  start: ${memoryLine()}`);
    const startKinds = residentKinds();
    const startMappings = residentMappings();

    let last = { statements: 0, prepares: 0, transactions: 0, queuedMs: 0, runningMs: 0, at: performance.now() };
    // The event loop's longest stall and the server's CPU per interval: a stall delays every request in flight, and
    // on a shared machine a low CPU share says the figures measure the neighbours.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let cpu = process.cpuUsage();
    const sample = (label: string) => {
      const d = {
        statements: probes.statements - last.statements,
        prepares: probes.prepares - last.prepares,
        transactions: probes.transactions - last.transactions,
        queuedMs: probes.queuedMs - last.queuedMs,
        runningMs: probes.runningMs - last.runningMs,
      };
      const seconds = (performance.now() - last.at) / 1000;
      last = { ...probes, at: performance.now() };
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const loop = `event loop stall max ${(loopDelay.max / 1e6).toFixed(0)} ms, server CPU ${((used.user + used.system) / 1e4 / seconds).toFixed(0)} %`;
      loopDelay.reset();
      const perTx = (ms: number) => (d.transactions ? (ms / d.transactions).toFixed(1) : '-');
      log(
        `  ${label}: ${memoryLine()}; ${(d.transactions / seconds).toFixed(1)} transactions/s, ${d.statements} statements, ${d.prepares} prepared (${((100 * d.prepares) / Math.max(1, d.statements)).toFixed(0)} %); per transaction: queued ${perTx(d.queuedMs)} ms, running ${perTx(d.runningMs)} ms; ${loop}`,
      );
    };
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const loadStartedAt = Date.now();
    const timer = setInterval(() => sample(`${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s load`), SAMPLE_MS);
    const load = await inChild<LoadResult>({ BENCH_SQLITE_LOAD: JSON.stringify({ port, token, reference, concurrency: CONCURRENCY, seconds: SECONDS } satisfies LoadTask) });
    clearInterval(timer);
    const loadCpu = process.cpuUsage(cpuAtStart);
    sample('load done');
    const sorted = [...load.latencies].sort((a, b) => a - b);
    const errors = Object.values(load.errors).reduce((a, b) => a + b, 0);
    log(
      `  ${sorted.length} registrations in ${(load.elapsedMs / 1000).toFixed(1)} s = ${((1000 * sorted.length) / load.elapsedMs).toFixed(1)}/s; p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(0)} ms; server CPU ${((loadCpu.user + loadCpu.system) / 1000 / Math.max(1, sorted.length)).toFixed(1)} ms per registration, ${((loadCpu.user + loadCpu.system) / 10 / load.elapsedMs).toFixed(0)} % of a core; errors ${errors}${errors ? ` ${JSON.stringify(load.errors)} first: ${load.firstError}` : ''}`,
    );
    for (const slow of [...load.slow].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
      const server = served.get(slow.n);
      log(
        `  request ${slow.n} (sent ${((slow.sentAt - loadStartedAt) / 1000).toFixed(1)} s into the load): ${slow.ms.toFixed(0)} ms at the client; ${server ? `reached the server ${server.arrivedAt - slow.sentAt} ms after it was sent, answered in ${server.ms.toFixed(0)} ms` : 'never answered by the server'}`,
      );
    }
    const slowest = sorted.slice(-5).reverse().map((ms) => ms.toFixed(0));
    log(`  slowest: ${slowest.join(', ')} ms; ${sorted.filter((ms) => ms > 5000).length} over 5 s, ${sorted.filter((ms) => ms > 2000).length} over 2 s`);
    if (process.env.BENCH_SHOW_PREPARED) for (const sql of probes.preparedSamples) log(`    prepared: ${sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    for (let idle = 1; idle * SAMPLE_MS <= IDLE_SECONDS * 1000; idle++) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      sample(`${String(idle * 10).padStart(3)} s idle`);
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      log(`  after a full GC: ${memoryLine()}`);
    }
    log(`  resident memory by kind: ${residentKinds()}; start: ${startKinds}`);
    log(`  resident memory by mapping: ${residentMappings()}; start: ${startMappings}`);
    const wal = (() => {
      try {
        return `${(statSync(`${sqlitePath}-wal`).size / MB).toFixed(1)} MB`;
      } catch {
        return 'none';
      }
    })();
    log(`  database file ${(statSync(sqlitePath).size / MB).toFixed(1)} MB, WAL file ${wal}`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function readReference(dataSource: DataSource): Promise<Reference> {
  const categories = await dataSource.query<{ id: number }[]>('SELECT id FROM categories WHERE level = 3 AND active = 1 AND defaultRequestType IS NOT NULL ORDER BY id');
  const units = await dataSource.query<{ id: number; type: string; parentId: number | null }[]>("SELECT id, type, parentId FROM units WHERE type IN ('district', 'street') AND active = 1 ORDER BY id");
  const districts = units
    .filter((u) => u.type === 'district')
    .map((d) => ({ id: d.id, streets: units.filter((s) => s.type === 'street' && s.parentId === d.id).map((s) => s.id) }))
    .filter((d) => d.streets.length > 0);
  if (categories.length === 0 || districts.length === 0) throw new Error('the demo organisation is missing (categories, districts with streets)');
  return { categories, districts };
}

async function login(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'agent1', password: DEMO_PASSWORD }),
  });
  const answer = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !answer.accessToken) throw new Error(`login of agent1 failed: ${response.status} ${JSON.stringify(answer)}`);
  return answer.accessToken;
}

/** Forks this file as the load process and waits for the one message it sends back. */
function inChild<T>(env: Record<string, string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(__filename, [], { env: { ...process.env, ...env }, stdio: 'inherit', execArgv: [] });
    let answer: { value: T } | null = null;
    child.on('message', (message) => (answer = { value: message as T }));
    child.on('error', reject);
    child.on('exit', (code) => (answer ? resolve(answer.value) : reject(new Error(`the load process exited with ${code} without a result`))));
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : 0);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const task = process.env.BENCH_SQLITE_LOAD;
  if (!task) {
    await serve();
    // A timer or socket left behind by the app must not keep the process alive once the figures are printed.
    process.exit();
  }
  const result = await runLoad(JSON.parse(task) as LoadTask);
  await new Promise<void>((resolve, reject) => process.send?.(result, (error: Error | null) => (error ? reject(error) : resolve())) ?? resolve());
  process.exit();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

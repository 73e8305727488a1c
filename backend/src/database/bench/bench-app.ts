import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { DemoDataService } from '../../demo-data/demo-data.service';

/**
 * The application as the intake and SQLite memory benchmarks run it in their own process: production settings, the demo organisation
 * without orders, the deadline tick off (it would look at every new order), the per-user rate limit lifted (one agent
 * registers thousands of orders a minute), listening on a free loopback port. Files go below `directory`.
 */
export async function startBenchApp(databaseUrl: string, directory: string): Promise<{ app: INestApplication; port: number }> {
  process.env.ESCALATION_TICK_SECONDS = '0';
  const app = await createApp(loadConfig({ NODE_ENV: 'production', ...benchAppEnvironment(databaseUrl, directory) }));
  try {
    app.useLogger(['error', 'warn']);
    await app.init();
    await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, port: ((app.getHttpServer() as Server).address() as AddressInfo).port };
}

/**
 * The settings the benchmarks give the application, in their own process or as `node dist/main.js` (startBenchServer:
 * bench:intake, bench:lists): the demo organisation is seeded by the bench, no console, the deadline tick off, the
 * per-user rate limit lifted.
 */
export function benchAppEnvironment(databaseUrl: string, directory: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ATTACHMENTS_DIR: join(directory, 'attachments'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    SEED_DEMO_DATA: 'never',
    CONSOLE_DIR: join(directory, 'no-console'),
    DATA_DIR: join(directory, 'data'),
    ACCESS_TOKEN_TTL: '12h',
    RATE_LIMIT_API_PER_USER: '100000000',
    ESCALATION_TICK_SECONDS: '0',
    // The production default; REPEAT_DETECTION=off measures registration without the detector.
    REPEAT_DETECTION: process.env.REPEAT_DETECTION === 'off' ? 'off' : 'on',
  };
}

export interface RunningServer {
  port: number;
  pid: number;
  /** RSS of the primary and its worker processes together. */
  rssMb(): number;
  /** CPU time (user + system) the primary and its workers have used so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * `node dist/main.js` with WORKERS=`workers` on a bench's database (already migrated and seeded: the primary finds
 * nothing to do), on a free port, with benchAppEnvironment and `extra`; resolves once it answers. NODE_ENV=development:
 * production refuses the demo password.
 */
export async function startBenchServer(databaseUrl: string, directory: string, workers: number, extra: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node options for the server; its workers inherit them.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', '..', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      WORKERS: String(workers),
      HOST: '127.0.0.1',
      PORT: String(port),
      ...benchAppEnvironment(databaseUrl, directory),
      ...extra,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid ?? 0;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (answered === 200) break;
    const code = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 200))]);
    if (code !== 'running') throw new Error(`node dist/main.js exited with ${code} before it answered`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('node dist/main.js did not answer /api/health within 60 s');
    }
  }
  return {
    port,
    pid,
    rssMb: () => [pid, ...childrenOf(pid)].reduce((sum, p) => sum + rssKb(p), 0) / 1024,
    cpuMs: () => [pid, ...childrenOf(pid)].reduce((sum, p) => sum + processCpuMs(p), 0),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The direct children of a process (the primary's workers), from /proc; none where /proc is missing. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU time (user + system, ms) a process has used, from /proc/<pid>/stat (0 where it is missing). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is the 3rd field of the line, utime the 14th and stime the 15th; clock ticks of 10 ms.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time of the local MariaDB/MySQL server process (mariadbd or mysqld), or null when none runs on this machine. */
export function databaseServerCpuMs(): number | null {
  let found = false;
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
    } catch {
      continue;
    }
    found = true;
    total += processCpuMs(Number(entry));
  }
  return found ? total : null;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

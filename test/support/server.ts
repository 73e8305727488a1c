import { DEMO_PASSWORD } from './console';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository's root: the nearest folder above holding backend/ and frontend/ (also from the compiled bench, test/dist/). */
function repositoryRoot(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'backend', 'package.json')) && existsSync(join(directory, 'frontend', 'package.json'))) return directory;
    if (dirname(directory) === directory) return resolve(__dirname, '..', '..');
  }
}

export const ROOT = repositoryRoot(__dirname);
const MAIN = join(ROOT, 'backend', 'dist', 'main.js');

/**
 * The run's template: the SQLite file of a server that started on an empty database (migrations, demo data) and
 * stopped, made once by the global setup (support/global-setup.ts). A server on a fresh directory starts on a copy:
 * seeding the demo work orders took ≈ 2.5 s of every start. Each copy gets its own directory, JWT secret and files.
 */
const SQLITE_TEMPLATE_ENV = 'JIESU_E2E_SQLITE_TEMPLATE';
const SQLITE_FILES = ['jiesu.sqlite', 'jiesu.sqlite-wal'];

export interface RunningServer {
  url: string;
  /** The port it listens on (give it to startServer again to restart it behind the same URL). */
  port: number;
  /** Its data directory: database, attachments, recordings, the JWT secret. */
  directory: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface StartServerOptions {
  /**
   * Use this data directory instead of a fresh one: starting again on the directory a stopped server used restarts
   * that server on the same database and files. The caller owns it — stop() leaves it in place.
   */
  directory?: string;
  /** Listen on this port instead of a free one, e.g. to come back where a client (the SIP bridge) keeps calling. */
  port?: number;
  /**
   * Start on an empty SQLite database, as on a first start (migrations, demo data), instead of on a copy of the run's
   * template. Without a template (a suite run without the global setup) every start is a first start.
   */
  empty?: boolean;
}

/** Global setup: a server starts on an empty SQLite database and stops; its database is the run's template. */
export async function prepareSqliteTemplate(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-e2e-template-'));
  const server = await startServer({}, { directory, empty: true });
  await server.stop();
  process.env[SQLITE_TEMPLATE_ENV] = directory;
}

/** Global teardown: removes the template. */
export function removeSqliteTemplate(): void {
  const directory = process.env[SQLITE_TEMPLATE_ENV];
  if (directory) rmSync(directory, { recursive: true, force: true });
}

/** A TCP port on 127.0.0.1 nobody holds right now (the system's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the built platform (`node backend/dist/main.js`, as `npm start` does) on its own fresh database with the demo
 * data (a copy of the run's template, or created on first start), and waits until /api/health answers.
 */
export async function startServer(env: Record<string, string> = {}, options: StartServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'jiesu-e2e-'));
  const template = process.env[SQLITE_TEMPLATE_ENV];
  if (ownsDirectory && !options.empty && env.DATABASE_URL === undefined && template) {
    for (const file of SQLITE_FILES) if (existsSync(join(template, file))) copyFileSync(join(template, file), join(directory, file));
  }
  const port = options.port ?? (await freePort());
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: join(ROOT, 'backend'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(directory, 'jiesu.sqlite')}`,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      DATA_DIR: directory,
      RECORDINGS_DIR: join(directory, 'recordings'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  // A server that never became healthy leaves nothing behind: its process is killed, its fresh directory removed.
  const fail = (message: string): never => {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (ownsDirectory) rmSync(directory, { recursive: true, force: true });
    throw new Error(`${message}:\n${log}`);
  };
  for (;;) {
    if (child.exitCode !== null) fail(`The server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail('The server did not become healthy within 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    directory,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (ownsDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** JSON over HTTP with an optional bearer token. */
export async function call<T = unknown>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (e.g. the console's HTML)
  }
  return { status: response.status, body: parsed as T };
}

const tokens = new Map<string, string>();

/** Logs a demo user in once per server, as a client keeps its token (repeated logins would meet the login rate limit). */
export async function login(url: string, username: string): Promise<string> {
  const key = `${url} ${username}`;
  const cached = tokens.get(key);
  if (cached) return cached;
  const response = await call<{ accessToken: string }>(url, 'POST', '/api/auth/login', undefined, { username, password: DEMO_PASSWORD });
  if (response.status !== 200) throw new Error(`Login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  tokens.set(key, response.body.accessToken);
  return response.body.accessToken;
}

/**
 * Resolves with the match once `output()` (a server's log, e.g. RunningServer.output) matches `pattern`: the log is
 * written asynchronously, and for some events (a worker's restart) it is the only signal.
 */
export async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`The server's output did not show ${pattern} within ${timeoutMs / 1000} s:\n${output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

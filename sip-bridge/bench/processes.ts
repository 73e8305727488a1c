import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** The repository's root: the nearest folder above holding backend/ and sip-bridge/ (from bench/ and bench/dist/). */
export const ROOT = ((): string => {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'backend', 'package.json')) && existsSync(join(directory, 'sip-bridge', 'package.json'))) return directory;
    if (dirname(directory) === directory) return resolve(__dirname, '..', '..', '..');
  }
})();

export const BACKEND_MAIN = join(ROOT, 'backend', 'dist', 'main.js');
export const BRIDGE_MAIN = join(ROOT, 'sip-bridge', 'dist', 'main.js');

/** A TCP port nobody listens on (the backend's HTTP port). */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function udpPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolveFree) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolveFree(false));
    socket.bind(port, host, () => socket.close(() => resolveFree(true)));
  });
}

/** A port free on both UDP and TCP (SIP listens on both; SIPp's UDP port). */
export async function freeSipPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freeTcpPort(host);
    if (await udpPortFree(port, host)) return port;
  }
  throw new Error('Cannot find a port free on both UDP and TCP');
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Where its stdout and stderr go. */
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface StartOptions {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Each line of stdout (both streams go to the log file). */
  onLine?: (line: string) => void;
}

export function startProcess(options: StartOptions): ManagedProcess {
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`Cannot start ${options.name}`);
  const log: WriteStream = createWriteStream(options.logFile);
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (options.onLine === undefined) return;
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  // 'exit' can come before the last output: the log is closed when the pipes are ('close').
  child.once('close', () => log.end());
  const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')));
  return {
    name: options.name,
    pid: child.pid,
    child,
    exited,
    logFile: options.logFile,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolveKill) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolveKill();
          }, graceMs);
        });
        await Promise.race([exited, killed]);
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value, the process exits, or the deadline passes. */
export async function waitFor<T>(what: string, process: ManagedProcess, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void process.exited.then((code) => (exitCode = code));
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (exitCode !== undefined) throw new Error(`${process.name} exited (${exitCode}) before ${what}; see ${process.logFile}`);
    if (Date.now() > deadline) throw new Error(`${process.name}: no ${what} within ${timeoutMs / 1000} s; see ${process.logFile}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Debian's sip-tester: the binary and its RTP captures (dtmf_2833_*.pcap, g711a.pcap). */
export const SIPP_PATH = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const SIPP_PCAP_DIR = process.env.SIPP_PCAP_DIR ?? '/usr/share/sip-tester';
/** The captures the scenarios play, by the name they use. */
export const SIPP_PCAPS = ['g711a.pcap', 'dtmf_2833_1.pcap'] as const;

/** test/sip/scenarios, from test/support (ts-jest) and from a compiled copy alike. */
export const SCENARIOS_DIR = join(__dirname, '..', 'sip', 'scenarios');

export const hasSipp = (): boolean => existsSync(SIPP_PATH) && SIPP_PCAPS.every((name) => existsSync(join(SIPP_PCAP_DIR, name)));

/** SIPp's exit codes (sipp(1)): 0 every call succeeded, 1 at least one failed, 97/99 nothing or a command ended it, 255/254 fatal. */
export interface SippResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The trace files SIPp wrote (errors, messages, logs, screen), for the failure message. */
  report: () => string;
}

export interface SippOptions {
  /** A scenario file in test/sip/scenarios. */
  scenario: string;
  /** An out-of-call scenario (-oocsf): how SIPp answers requests of another Call-ID, e.g. the INVITE to a registered phone. */
  outOfCallScenario?: string;
  /** host:port of the SIP bridge. */
  target: string;
  /** [service]: the Request-URI's user (the number called, or the extension registering). */
  service: string;
  /** -key name value: [name] in the scenario's messages. */
  keys?: Record<string, string>;
  /** -au/-ap: the digest credentials of [authentication]. */
  auth?: { username: string; password: string };
  /** -d: the length of the scenario's <pause/> without a duration. */
  pauseMs?: number;
  /** -cid_str: the Call-ID, `%u` the call number, `%p` SIPp's pid, `%s` its IP. */
  callId?: string;
  /** SIPp gives up (and fails) after this long: a backstop behind the test's own deadlines. */
  timeoutSeconds?: number;
}

export interface SippRun {
  readonly pid: number | undefined;
  /** Where SIPp runs and writes its traces. */
  readonly directory: string;
  /** SIPp's exit. */
  readonly exited: Promise<SippResult>;
  /** Resolves when the scenario's <log> action wrote a line containing `text` (-trace_logs). */
  waitForLog(text: string, timeoutMs: number): Promise<void>;
  /** Stops SIPp if it still runs and removes its directory. */
  dispose(): Promise<void>;
}

/** A UDP port nobody holds right now (the system's pick), as SIPp's -p. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Whether a UDP port on 127.0.0.1 can be bound right now. */
export async function udpPortIsFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => socket.close(resolve));
  return bound;
}

/**
 * `count` consecutive free UDP ports starting at an even one, picked at random in 20000–31999 — above the bridge's
 * default RTP range, below Linux's ephemeral ports (32768–60999) that the system hands out meanwhile — so parallel
 * runs rarely meet; SIPp's -mp needs p and p+2, the bridge's RTP range a block.
 */
export async function freeUdpPortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const first = 20_000 + 2 * Math.floor(Math.random() * ((12_000 - count) / 2));
    let free = true;
    for (let port = first; port < first + count && free; port += 1) free = await udpPortIsFree(port);
    if (free) return first;
  }
  throw new Error(`No block of ${count} free UDP ports found`);
}

/**
 * Runs one SIPp scenario (one call, `-m 1`) as a child process in its own directory, with the scenario, the
 * out-of-call scenario and the pcaps copied or linked next to each other (SIPp looks for pcaps beside the scenario),
 * and every trace on: -trace_err, -trace_msg, -trace_logs, -trace_screen.
 */
export async function startSipp(options: SippOptions): Promise<SippRun> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-sipp-'));
  for (const file of [options.scenario, options.outOfCallScenario]) {
    if (file !== undefined) copyFileSync(join(SCENARIOS_DIR, file), join(directory, file));
  }
  for (const pcap of SIPP_PCAPS) symlinkSync(join(SIPP_PCAP_DIR, pcap), join(directory, pcap));
  const sipPort = await freeUdpPort();
  const mediaPort = await freeUdpPortBlock(4);
  const args = [
    options.target,
    '-sf', options.scenario,
    ...(options.outOfCallScenario ? ['-oocsf', options.outOfCallScenario] : []),
    '-s', options.service,
    '-i', '127.0.0.1',
    '-p', String(sipPort),
    '-mp', String(mediaPort),
    '-m', '1',
    ...(options.auth ? ['-au', options.auth.username, '-ap', options.auth.password] : []),
    ...(options.pauseMs !== undefined ? ['-d', String(options.pauseMs)] : []),
    ...(options.callId !== undefined ? ['-cid_str', options.callId] : []),
    ...Object.entries(options.keys ?? {}).flatMap(([name, value]) => ['-key', name, value]),
    '-timeout', `${options.timeoutSeconds ?? 60}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err', '-trace_msg', '-trace_logs', '-trace_screen',
  ];
  const child: ChildProcess = spawn(SIPP_PATH, args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const command = `sipp ${args.join(' ')}`;
  const traces = (suffix: string) =>
    readdirSync(directory)
      .filter((name) => name.endsWith(suffix))
      .map((name) => join(directory, name));
  const report = () =>
    [
      `$ (cd ${directory} && ${command})`,
      stderr.trim() && `stderr:\n${stderr.trim()}`,
      ...['_errors.log', '_logs.log', '_screen.log', '_messages.log'].flatMap((suffix) =>
        traces(suffix).map((file) => `--- ${basename(file)}\n${tail(readFileSync(file, 'utf8'), 12_000)}`),
      ),
    ]
      .filter(Boolean)
      .join('\n');
  const exited = new Promise<SippResult>((resolve) => {
    const done = (exitCode: number | null, signal: NodeJS.Signals | null) => resolve({ exitCode, signal, report });
    if (child.exitCode !== null) done(child.exitCode, null);
    else child.once('exit', done);
    child.once('error', (error) => {
      stderr += `\n${error.message}`;
      done(-1, null);
    });
  });
  let finished = false;
  void exited.then(() => (finished = true));

  return {
    pid: child.pid,
    directory,
    exited,
    async waitForLog(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (traces('_logs.log').some((file) => readFileSync(file, 'utf8').includes(text))) return;
        if (finished) throw new Error(`SIPp ended before logging "${text}":\n${report()}`);
        if (Date.now() > deadline) throw new Error(`SIPp did not log "${text}" within ${timeoutMs} ms:\n${report()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async dispose() {
      if (!finished) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** SIPp's exit, failing with its traces unless every call succeeded. */
export async function expectSippSuccess(run: SippRun, what: string): Promise<void> {
  const result = await run.exited;
  if (result.exitCode !== 0) throw new Error(`SIPp (${what}) exited with ${result.exitCode ?? result.signal}:\n${result.report()}`);
}

function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

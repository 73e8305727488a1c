import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SippOptions {
  binary: string;
  scenario: string;
  /** Where SIPp writes its files (stat, rtt, errors, screen): its working directory. */
  directory: string;
  target: string;
  localIp: string;
  localPort: number;
  mediaIp: string;
  /** First RTP port; [auto_media_port] adds 4 per call, modulo 10000. */
  mediaPort: number;
  ratePerSecond: number;
  maxConcurrentCalls: number;
  totalCalls: number;
  /** How long each call stays up after the ACK (the scenario's <pause/>). */
  callMs: number;
  /** SIPp gives up (and fails) after this. */
  globalTimeoutSeconds: number;
}

export interface SippResult {
  exitCode: number | string;
  /** The last line of the statistics file (-trace_stat): column name → value. */
  stats: Map<string, string>;
  /** The most calls in progress at one of the statistics file's (1 s) dumps. */
  peakConcurrentCalls: number;
  /** Response times (-trace_rtt) in ms, by the scenario's rtd name. */
  responseTimes: Map<string, number[]>;
  /** When each response time was completed (ms since SIPp's start), by rtd name, in the file's order. */
  responseAt: Map<string, number[]>;
  /** What -trace_err logged (unexpected messages, dead calls, failures), counted by kind: the text before the message. */
  errorKinds: Map<string, number>;
  /** SIPp's last screen (-trace_screen). */
  screen: string;
  wallSeconds: number;
}

export const STAT_FILE = 'sipp-stats.csv';

export function sippArguments(options: SippOptions): string[] {
  return [
    options.target,
    '-sf', options.scenario,
    '-i', options.localIp,
    '-p', String(options.localPort),
    '-mi', options.mediaIp,
    '-mp', String(options.mediaPort),
    '-r', String(options.ratePerSecond),
    '-rp', '1000',
    '-l', String(options.maxConcurrentCalls),
    '-m', String(options.totalCalls),
    '-d', String(options.callMs),
    '-nostdin',
    '-trace_stat', '-stf', STAT_FILE, '-fd', '1',
    '-trace_rtt', '-rtt_freq', '1',
    '-trace_err',
    '-trace_screen',
    '-timeout', `${options.globalTimeoutSeconds}s`, '-timeout_error',
  ];
}

/** Runs SIPp to its end (it exits after `totalCalls`) and reads what it wrote. */
export async function runSipp(options: SippOptions, onStart?: (pid: number) => void): Promise<SippResult> {
  const started = performance.now();
  const child = spawn(options.binary, sippArguments(options), { cwd: options.directory, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both pipes into one file: neither may end it; it is closed once both are ('close').
  const output = createWriteStream(join(options.directory, 'sipp-output.log'));
  child.stdout?.pipe(output, { end: false });
  child.stderr?.pipe(output, { end: false });
  child.once('close', () => output.end());
  if (child.pid !== undefined) onStart?.(child.pid);
  const exitCode = await new Promise<number | string>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const files = readdirSync(options.directory);
  const read = (suffix: string) => {
    const name = files.find((file) => file.endsWith(suffix));
    return name === undefined ? '' : readFileSync(join(options.directory, name), 'utf8');
  };
  const statPath = join(options.directory, STAT_FILE);
  const rows = existsSync(statPath) ? statRows(readFileSync(statPath, 'utf8')) : [];
  return {
    exitCode,
    stats: rows.at(-1) ?? new Map<string, string>(),
    peakConcurrentCalls: Math.max(0, ...rows.map((row) => Number(row.get('CurrentCall') ?? 0))),
    ...parseRttFile(read('_rtt.csv')),
    errorKinds: errorKinds(read('_errors.log')),
    screen: read('_screen.log'),
    wallSeconds,
  };
}

/** SIPp's statistics file: a header of `;`-separated names, then one row per dump (the last: the totals at the end). */
export function statRows(csv: string): Map<string, string>[] {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const names = (lines[0] ?? '').split(';').map((name) => name.trim());
  return lines.slice(1).map((line) => {
    const values = line.split(';');
    return new Map(names.map((name, index) => [name, (values[index] ?? '').trim()]));
  });
}

/** `Date_ms;response_time_ms;rtd_no` lines (Date_ms since SIPp's start; the rtd is the scenario's name for it). */
export function parseRttFile(csv: string): { responseTimes: Map<string, number[]>; responseAt: Map<string, number[]> } {
  const responseTimes = new Map<string, number[]>();
  const responseAt = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, value: number) => {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  };
  for (const line of csv.split('\n')) {
    const [at, milliseconds, rtd] = line.split(';').map((field) => field.trim());
    const value = Number(milliseconds);
    // The header and blank lines have no numbers.
    if (rtd === undefined || rtd === '' || milliseconds === '' || !Number.isFinite(value) || !Number.isFinite(Number(at))) continue;
    push(responseTimes, rtd, value);
    push(responseAt, rtd, Number(at));
  }
  return { responseTimes, responseAt };
}

/**
 * SIPp's error log: one event per `<date>\t<time>\t<epoch>: <what happened>`, often followed by the whole message.
 * Counted by what happened, with call numbers and Call-IDs taken out ("Dead call … (successful), received 'SIP/2.0 200 OK").
 */
export function errorKinds(log: string): Map<string, number> {
  const kinds = new Map<string, number>();
  // An event may follow the closing quote of the previous one's message, or even the previous event on its line.
  const stamp = /\d{4}-\d\d-\d\d\t[\d:.]+\t[\d.]+: /g;
  const starts = [...log.matchAll(stamp)].map((match) => ({ from: (match.index ?? 0) + match[0].length, to: match.index ?? 0 }));
  starts.forEach((start, index) => {
    const text = log.slice(start.from, starts[index + 1]?.to ?? log.length).split('\n')[0];
    const kind = text
      .replace(/\d+-\d+@[^\s)']+/g, '<call>')
      .replace(/\(\d+\)/g, '(<n>)')
      .replace(/\d+ trips remaining/g, '<n> trips remaining')
      .slice(0, 140);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  });
  return kinds;
}

/** Nearest-rank percentile (p in 0–100) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

import { CALL_STATUSES, type CallStatus } from './backend-api';
import type { BenchKnobs } from './knobs';
import type { CpuTime } from './proc-stats';
import { percentile, type SippResult } from './sipp';

/** The rate SIPp must reach, as a share of BENCH_RATE. */
const RATE_TOLERANCE = 0.95;

export interface ProcessFigures {
  name: string;
  pid: number;
  /** CPU used during SIPp's run, and during the drain after it. */
  load: CpuTime;
  drain: CpuTime;
  hwmKb: number;
  peakRssKb: number;
}

export interface BenchResult {
  knobs: BenchKnobs;
  caller: string;
  totalCalls: number;
  loadAverage: { atSippEnd: number[]; atEnd: number[] };
  sipp: SippResult;
  /** SIPp's CPU (read every 250 ms while it ran) and peak memory. */
  sippProcess: { pid: number; cpu: CpuTime; hwmKb: number } | undefined;
  loadSeconds: number;
  drainSeconds: number;
  drained: boolean;
  processes: ProcessFigures[];
  backlog: { peak: number; atSippEnd: number; timeline: number[] };
  refusedRecordings: number;
  bridgeExit: number | string;
  bridgeProblems: Map<string, number>;
  /** Prompt audio skipped per call, for the calls that skipped some. */
  promptSkipsMs: number[];
  records: { calls: number; withRecording: number; recordedSeconds: number };
  byStatus: Map<CallStatus, number>;
  profiles: string[];
}

export interface Target {
  line: string;
  met: boolean;
}

/** Prints the figures and the target lines; returns the targets. */
export function printReport(result: BenchResult): Target[] {
  const { knobs, sipp } = result;
  const attempted = statNumber(sipp, 'TotalCallCreated');
  const succeeded = statNumber(sipp, 'SuccessfulCall(C)');
  const failed = statNumber(sipp, 'FailedCall(C)');
  const rate = achievedRate(sipp);

  console.log(`load average ${formatLoad(result.loadAverage.atSippEnd)} at SIPp's end, ${formatLoad(result.loadAverage.atEnd)} at the end (other work on the machine counts in it)`);
  console.log('');
  console.log(
    `SIPp: attempted ${attempted}, succeeded ${succeeded}, failed ${failed} (exit ${sipp.exitCode}); ran ${sipp.wallSeconds.toFixed(1)} s; ` +
      `call rate ${rate.toFixed(1)}/s; at most ${sipp.peakConcurrentCalls} calls at once; retransmissions ${statNumber(sipp, 'Retransmissions(C)')}`,
  );
  const failures = [...sipp.stats.entries()].filter(([name, value]) => name.startsWith('Failed') && name.endsWith('(C)') && name !== 'FailedCall(C)' && Number(value) > 0);
  if (failures.length > 0) console.log(`  failures: ${failures.map(([name, value]) => `${name.replace('(C)', '')} ${value}`).join(', ')}`);
  for (const [kind, count] of [...sipp.errorKinds.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  SIPp's error log: ${count}× ${kind}`);

  console.log('');
  console.log('response times (ms)        calls    p50    p95    p99    max');
  for (const [rtd, label] of [
    ['setup', 'INVITE → 200 OK'],
    ['bye', 'BYE → 200 OK'],
  ] as const) {
    const values = [...(sipp.responseTimes.get(rtd) ?? [])].sort((a, b) => a - b);
    const cell = (value: number) => formatMs(value).padStart(6);
    console.log(`  ${label.padEnd(22)} ${String(values.length).padStart(7)} ${cell(percentile(values, 50))} ${cell(percentile(values, 95))} ${cell(percentile(values, 99))} ${cell(values.at(-1) ?? NaN)}`);
  }

  console.log('');
  console.log(`CPU during SIPp's run (${result.loadSeconds.toFixed(1)} s) and during the drain after it (${result.drainSeconds.toFixed(1)} s); memory:`);
  for (const figures of result.processes) {
    const perCallMs = ((seconds(figures.load) + seconds(figures.drain)) * 1000) / Math.max(1, attempted);
    console.log(
      `  ${figures.name.padEnd(8)} pid ${String(figures.pid).padEnd(7)} ${formatCpu(figures.load, result.loadSeconds)}; drain ${formatCpu(figures.drain, result.drainSeconds)}; ` +
        `${perCallMs.toFixed(1)} ms of CPU per call in all; peak VmHWM ${mb(figures.hwmKb)} MB (largest VmRSS sampled during the run ${mb(figures.peakRssKb)} MB)`,
    );
  }
  if (result.sippProcess !== undefined) {
    const { pid, cpu, hwmKb } = result.sippProcess;
    console.log(`  ${'sipp'.padEnd(8)} pid ${String(pid).padEnd(7)} ${formatCpu(cpu, sipp.wallSeconds)} (last 250 ms sample); peak VmHWM ${mb(hwmKb)} MB`);
  }

  console.log('');
  const { backlog } = result;
  console.log(
    `bridge outbox: recordings waiting for upload at most ${backlog.peak} (calls in progress included), ${backlog.atSippEnd} at SIPp's end; ` +
      (result.drained ? `drained ${result.drainSeconds.toFixed(1)} s after SIPp's end` : `NOT drained within ${knobs.drainSeconds} s`) +
      `; refused recordings ${result.refusedRecordings}; bridge exit ${result.bridgeExit}`,
  );
  console.log(`  recordings waiting, every 5 s from SIPp's start: ${backlog.timeline.filter((_, index) => index % 5 === 4).join(' ')}`);
  if (result.bridgeProblems.size > 0) {
    const top = [...result.bridgeProblems.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`bridge warnings/errors: ${top.map(([message, count]) => `${count}× ${message}`).join('; ')}`);
  }
  if (result.promptSkipsMs.length > 0) {
    const skips = [...result.promptSkipsMs].sort((a, b) => a - b);
    const total = skips.reduce((sum, ms) => sum + ms, 0);
    console.log(
      `prompt audio skipped because the bridge fell behind: ${skips.length} of ${statNumber(sipp, 'TotalCallCreated')} calls; per such call ` +
        `p50 ${percentile(skips, 50)} ms, p95 ${percentile(skips, 95)} ms, max ${skips.at(-1)} ms; ${(total / 1000).toFixed(1)} s in all`,
    );
  } else console.log('prompt audio skipped because the bridge fell behind: none');
  const { records } = result;
  console.log(
    `call records (GET /api/calls, from ${result.caller}): ${records.calls}; ${CALL_STATUSES.map((status) => `${status} ${result.byStatus.get(status) ?? 0}`).join(', ')}; ` +
      `with a recording ${records.withRecording} (${records.recordedSeconds.toFixed(0)} s of audio, ${(records.recordedSeconds / Math.max(1, records.withRecording)).toFixed(2)} s each)`,
  );
  for (const profile of result.profiles) console.log(`CPU profile: ${profile} (open in Chrome DevTools › Performance)`);

  const abandoned = result.byStatus.get('abandoned') ?? 0;
  const targets: Target[] = [
    { line: `failed calls: ${failed} (target 0)`, met: failed === 0 && attempted > 0 },
    { line: `calls attempted: ${attempted} of ${result.totalCalls} (target all)`, met: attempted === result.totalCalls },
    { line: `call rate: ${rate.toFixed(1)}/s (target ≥ ${(knobs.rate * RATE_TOLERANCE).toFixed(1)}/s)`, met: rate >= knobs.rate * RATE_TOLERANCE },
    {
      line: `outbox drained: ${result.drained ? `yes, ${result.drainSeconds.toFixed(1)} s after SIPp's end` : 'no'} (target within ${knobs.drainSeconds} s)`,
      met: result.drained,
    },
    { line: `call records: ${records.calls} of ${attempted} calls (target all)`, met: records.calls === attempted },
    { line: `abandoned call records: ${abandoned} of ${succeeded} completed calls (target all)`, met: abandoned === succeeded },
    { line: `recordings uploaded: ${records.withRecording} of ${succeeded} completed calls (target all)`, met: records.withRecording >= succeeded && result.refusedRecordings === 0 },
  ];
  console.log('');
  for (const target of targets) console.log(`${target.line}: ${target.met ? 'met' : 'MISSED'}`);

  return targets;
}

export function statNumber(sipp: SippResult, name: string): number {
  const value = Number(sipp.stats.get(name));
  return Number.isFinite(value) ? value : 0;
}

/**
 * Calls set up per second while SIPp was starting them: the answered INVITEs over the span from the first 200 OK to
 * the last (SIPp's own cumulative call rate also counts the wait for the last calls to end).
 */
function achievedRate(sipp: SippResult): number {
  const times = sipp.responseAt.get('setup') ?? [];
  if (times.length < 2) return 0;
  const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return spanSeconds > 0 ? (times.length - 1) / spanSeconds : 0;
}

const seconds = (cpu: CpuTime) => cpu.userSeconds + cpu.systemSeconds;

function formatCpu(cpu: CpuTime, wallSeconds: number): string {
  const total = seconds(cpu);
  return `CPU ${cpu.userSeconds.toFixed(1)} s user + ${cpu.systemSeconds.toFixed(1)} s sys = ${total.toFixed(1)} s, ${((total / Math.max(wallSeconds, 0.001)) * 100).toFixed(0)} % of one core`;
}

/** SIPp times in whole milliseconds. */
function formatMs(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '-';
}

export function formatLoad(load: number[]): string {
  return load.map((value) => value.toFixed(2)).join(' ');
}

function mb(kb: number): string {
  return (kb / 1024).toFixed(1);
}

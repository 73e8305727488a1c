/** The bench's environment knobs, checked once: a bad value stops it with a message naming the variable. */
export interface BenchKnobs {
  /** BENCH_RATE: new calls per second. */
  rate: number;
  /** BENCH_DURATION: seconds of new calls (rate × duration calls in all). */
  durationSeconds: number;
  /** BENCH_MAX_CALLS: SIPp's limit of simultaneous calls (-l). */
  maxCalls: number;
  /** BENCH_CALL_SECONDS: how long each caller stays after the bridge answered (then BYE). */
  callSeconds: number;
  /** BENCH_WELCOME_SECONDS: the welcome prompt is cut to this, so the caller reaches the queue within the call. */
  welcomeSeconds: number;
  /** BENCH_DRAIN_SECONDS: how long to wait after SIPp's end for every event and recording to reach the backend. */
  drainSeconds: number;
  /** BENCH_KEEP=1: keep the work directory (logs, database, SIPp's files) even when every target is met. */
  keep: boolean;
  /** BENCH_CPU_PROF=1: run the bridge and the backend under `node --cpu-prof` (the profiles land in the kept work directory). */
  cpuProfile: boolean;
  /** BENCH_BRIDGE_MAIN: another build of the bridge's main.js (to compare a change); default sip-bridge/dist/main.js. */
  bridgeMain: string | undefined;
  /** SIPP_BIN: the sipp binary. */
  sippBinary: string;
  /** SIPP_PCAP_DIR: where sip-tester's captures are (g711a.pcap). */
  pcapDirectory: string;
}

export function readKnobs(env: NodeJS.ProcessEnv = process.env): BenchKnobs {
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number, max: number, integer: boolean): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${name}: must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string) => env[name] === '1' || env[name] === 'true';
  const knobs: BenchKnobs = {
    rate: number('BENCH_RATE', 50, 0.1, 1000, false),
    durationSeconds: number('BENCH_DURATION', 60, 1, 3600, false),
    maxCalls: number('BENCH_MAX_CALLS', 200, 1, 5000, true),
    callSeconds: number('BENCH_CALL_SECONDS', 3, 0.1, 600, false),
    welcomeSeconds: number('BENCH_WELCOME_SECONDS', 1, 0.1, 60, false),
    drainSeconds: number('BENCH_DRAIN_SECONDS', 300, 5, 3600, false),
    keep: flag('BENCH_KEEP'),
    cpuProfile: flag('BENCH_CPU_PROF'),
    bridgeMain: env.BENCH_BRIDGE_MAIN?.trim() || undefined,
    sippBinary: env.SIPP_BIN?.trim() || '/usr/bin/sipp',
    pcapDirectory: env.SIPP_PCAP_DIR?.trim() || '/usr/share/sip-tester',
  };
  if (problems.length > 0) throw new Error(`Invalid bench settings:\n  ${problems.join('\n  ')}`);
  return knobs;
}

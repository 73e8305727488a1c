/**
 * `npm run bench:sip` (issue 12): SIPp calls the real built bridge (`node sip-bridge/dist/main.js`) at BENCH_RATE
 * calls/s for BENCH_DURATION s, at most BENCH_MAX_CALLS at once, each with A-law RTP from sip-tester's g711a.pcap;
 * behind the bridge the real built backend (`node backend/dist/main.js`, SQLite, a CTI token) receives its events and
 * recordings. No agent is ready, so every call is answered, hears the (shortened) welcome and the waiting prompt, is
 * recorded, and hangs up after BENCH_CALL_SECONDS → an abandoned call record with its recording.
 *
 * Prints SIPp's counts and response times (from -trace_rtt), the bridge's and the backend's CPU (/proc/<pid>/stat)
 * and peak memory (VmHWM), how far the bridge's outbox fell behind, and whether every call became a call record
 * (GET /api/calls, once the outbox has drained). Exits 1 when a target is missed. docs/benchmarks.md, "SIP bridge".
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendApi, CALL_STATUSES, type CallStatus } from './backend-api';
import { BridgeLogWatch, SpoolBacklog } from './bridge-watch';
import { type BenchKnobs, readKnobs } from './knobs';
import { BACKEND_MAIN, BRIDGE_MAIN, freeSipPort, freeTcpPort, type ManagedProcess, ROOT, startProcess, waitFor } from './processes';
import { cpuBetween, ProcessSampler } from './proc-stats';
import { writeBenchPrompts } from './prompts';
import { formatLoad, printReport, statNumber } from './report';
import { runSipp } from './sipp';

/** The caller's number in the scenario (From): the call records of this run are the ones from it. */
const CALLER = '17700000000';
const DEMO_PASSWORD = 'Demo@12345';
const SCENARIO = join(__dirname, '..', 'scenarios', 'caller-abandons.xml');
const DEFAULT_PCAP = '/usr/share/sip-tester/g711a.pcap';
/** SIPp's [auto_media_port] range (mp … mp + 9999) and the bridge's RTP range: apart, and apart from the defaults (10000–20000). */
const SIPP_MEDIA_PORT = 40_000;
const BRIDGE_RTP = { min: 30_000, max: 33_998 };

interface WorkDirectories {
  root: string;
  backend: string;
  spool: string;
  prompts: string;
  sipp: string;
  profiles: string;
}

async function main(): Promise<void> {
  const knobs = readKnobs();
  const bridgeMain = knobs.bridgeMain ?? BRIDGE_MAIN;
  const pcap = join(knobs.pcapDirectory, 'g711a.pcap');
  for (const [path, hint] of [
    [knobs.sippBinary, 'SIPp is missing: apt-get install sip-tester (or set SIPP_BIN)'],
    [pcap, 'g711a.pcap is missing: apt-get install sip-tester (or set SIPP_PCAP_DIR)'],
    [BACKEND_MAIN, 'the backend is not built: npm run build -w backend'],
    [bridgeMain, 'the bridge is not built: npm run build -w sip-bridge'],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${path}: ${hint}`);
  }

  const root = mkdtempSync(join(tmpdir(), 'jiesu-bench-sip-'));
  const dirs: WorkDirectories = { root, backend: join(root, 'backend'), spool: join(root, 'spool'), prompts: join(root, 'prompts'), sipp: join(root, 'sipp'), profiles: join(root, 'profiles') };
  for (const directory of [dirs.backend, dirs.spool, dirs.prompts, dirs.sipp, dirs.profiles]) mkdirSync(directory, { recursive: true });
  writeBenchPrompts(join(ROOT, 'sip-bridge', 'prompts'), dirs.prompts, knobs.welcomeSeconds);
  const totalCalls = Math.round(knobs.rate * knobs.durationSeconds);

  console.log(
    `SIP bridge benchmark: ${knobs.rate} calls/s for ${knobs.durationSeconds} s (${totalCalls} calls), at most ${knobs.maxCalls} at once, ` +
      `${knobs.callSeconds} s per call after the answer (welcome cut to ${knobs.welcomeSeconds} s, then the queue; no agent ready), RTP ${pcap}`,
  );
  console.log(`machine: ${cpus().length} CPUs, load average ${formatLoad(loadavg())} before; work directory ${root}`);
  if (bridgeMain !== BRIDGE_MAIN) console.log(`bridge: ${bridgeMain} (BENCH_BRIDGE_MAIN)`);

  const processes: ManagedProcess[] = [];
  let keep = knobs.keep || knobs.cpuProfile;
  try {
    const met = await run(knobs, { bridgeMain, pcap, totalCalls }, dirs, processes);
    if (!met) {
      keep = true;
      process.exitCode = 1;
    }
  } catch (error) {
    keep = true;
    throw error;
  } finally {
    for (const child of processes.reverse()) await child.stop();
    if (keep) console.log(`\nkept: ${root} (bridge.log, backend.log, sipp/, spool/, backend/)`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** Starts the backend and the bridge, runs SIPp, waits for the drain, prints the report; true when every target is met. */
async function run(knobs: BenchKnobs, setup: { bridgeMain: string; pcap: string; totalCalls: number }, dirs: WorkDirectories, processes: ManagedProcess[]): Promise<boolean> {
  const profileArgs = (name: string) => (knobs.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', dirs.profiles, '--cpu-prof-name', `${name}.cpuprofile`] : []);
  const ctiToken = randomBytes(24).toString('hex');

  const backendPort = await freeTcpPort();
  const backend = startProcess({
    name: 'backend',
    args: [...profileArgs('backend'), BACKEND_MAIN],
    cwd: join(ROOT, 'backend'),
    logFile: join(dirs.root, 'backend.log'),
    env: {
      ...process.env,
      // development: the demo data (a supervisor reads the call records); production refuses its published password.
      NODE_ENV: 'development',
      WORKERS: '1',
      HOST: '127.0.0.1',
      PORT: String(backendPort),
      DATABASE_URL: `sqlite:${join(dirs.backend, 'jiesu.sqlite')}`,
      DATA_DIR: dirs.backend,
      ATTACHMENTS_DIR: join(dirs.backend, 'attachments'),
      RECORDINGS_DIR: join(dirs.backend, 'recordings'),
      REPORTS_DIR: join(dirs.backend, 'reports'),
      CONSOLE_DIR: join(dirs.backend, 'no-console'),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      CTI_TOKEN: ctiToken,
      ACCESS_TOKEN_TTL: '12h',
      RATE_LIMIT_API_PER_USER: '100000000',
    },
  });
  processes.push(backend);
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  await waitFor('an answer on /api/health', backend, 120_000, async () => {
    const status = await fetch(`${backendUrl}/api/health`).then(
      (response) => response.status,
      () => 0,
    );
    return status === 200 ? true : undefined;
  });
  const api = await BackendApi.login(backendUrl, 'supervisor1', DEMO_PASSWORD);

  const sipPort = await freeSipPort();
  const bridgeLog = new BridgeLogWatch();
  const bridge = startProcess({
    name: 'bridge',
    args: [...profileArgs('bridge'), setup.bridgeMain],
    cwd: join(ROOT, 'sip-bridge'),
    logFile: join(dirs.root, 'bridge.log'),
    onLine: (line) => bridgeLog.line(line),
    env: {
      ...process.env,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      RTP_PORT_MIN: String(BRIDGE_RTP.min),
      RTP_PORT_MAX: String(BRIDGE_RTP.max),
      BACKEND_URL: backendUrl,
      CTI_TOKEN: ctiToken,
      // Nobody gets 486: every caller waits in the queue.
      QUEUE_MAX: String(Math.max(1_000, knobs.maxCalls * 10)),
      SPOOL_DIR: dirs.spool,
      PROMPTS_DIR: dirs.prompts,
    },
  });
  processes.push(bridge);
  await waitFor('"SIP bridge listening"', bridge, 30_000, () => (bridgeLog.listening ? true : undefined), 50);

  const bridgeSampler = new ProcessSampler('bridge', bridge.pid);
  const backendSampler = new ProcessSampler('backend', backend.pid);
  const backlog = new SpoolBacklog(join(dirs.spool, 'recordings'));
  let sippSampler: ProcessSampler | undefined;

  // The load: from SIPp's start to its end.
  const windowFrom = new Date(Date.now() - 1_000);
  const cpuAtStart = { bridge: bridgeSampler.cpu(), backend: backendSampler.cpu() };
  bridgeSampler.resetPeak();
  backendSampler.resetPeak();
  backlog.start();
  const sippStarted = performance.now();
  const sipp = await runSipp(
    {
      binary: knobs.sippBinary,
      scenario: scenarioFor(setup.pcap, dirs.sipp),
      directory: dirs.sipp,
      target: `127.0.0.1:${sipPort}`,
      localIp: '127.0.0.1',
      localPort: await freeSipPort(),
      mediaIp: '127.0.0.1',
      mediaPort: SIPP_MEDIA_PORT,
      ratePerSecond: knobs.rate,
      maxConcurrentCalls: knobs.maxCalls,
      totalCalls: setup.totalCalls,
      callMs: Math.round(knobs.callSeconds * 1000),
      globalTimeoutSeconds: Math.ceil(knobs.durationSeconds * 3 + knobs.callSeconds + 120),
    },
    (pid) => (sippSampler = new ProcessSampler('sipp', pid, 250)),
  );
  const loadSeconds = (performance.now() - sippStarted) / 1000;
  sippSampler?.stop();
  const cpuAtSippEnd = { bridge: bridgeSampler.cpu(), backend: backendSampler.cpu() };
  const backlogAtSippEnd = backlog.count();
  const loadAtSippEnd = loadavg();

  // The drain: no recording left in the spool (each call's recording is queued after its events and the outbox
  // delivers in order) and every call has a record that has ended.
  const attempted = statNumber(sipp, 'TotalCallCreated');
  const filter = { from: windowFrom, to: new Date(Date.now() + 1_000), phone: CALLER };
  const drainStarted = performance.now();
  let drained = false;
  while (!drained && (performance.now() - drainStarted) / 1000 < knobs.drainSeconds) {
    if (backlog.count() === 0) {
      const total = await api.countCalls(filter);
      const open = (await api.countCalls({ ...filter, status: 'ringing' })) + (await api.countCalls({ ...filter, status: 'queued' }));
      drained = total >= attempted && open === 0;
    }
    if (!drained) await new Promise((r) => setTimeout(r, 1_000));
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const cpuAtDrainEnd = { bridge: bridgeSampler.cpu(), backend: backendSampler.cpu() };

  const byStatus = new Map<CallStatus, number>();
  for (const status of CALL_STATUSES) byStatus.set(status, await api.countCalls({ ...filter, status }));
  const records = await api.recordings(filter);
  const refusedDirectory = join(dirs.spool, 'refused');
  const refusedRecordings = existsSync(refusedDirectory) ? readdirSync(refusedDirectory).length : 0;

  bridgeSampler.stop();
  backendSampler.stop();
  backlog.stop();
  const bridgeExit = await bridge.stop();
  await backend.stop();

  const figures = (sampler: ProcessSampler, key: 'bridge' | 'backend') => ({
    name: sampler.name,
    pid: sampler.pid,
    load: cpuBetween(cpuAtStart[key], cpuAtSippEnd[key]),
    drain: cpuBetween(cpuAtSippEnd[key], cpuAtDrainEnd[key]),
    hwmKb: sampler.hwmKb,
    peakRssKb: sampler.peakRssKb,
  });
  const finalSipp: ProcessSampler | undefined = sippSampler;
  const targets = printReport({
    knobs,
    caller: CALLER,
    totalCalls: setup.totalCalls,
    loadAverage: { atSippEnd: loadAtSippEnd, atEnd: loadavg() },
    sipp,
    sippProcess: finalSipp === undefined ? undefined : { pid: finalSipp.pid, cpu: finalSipp.lastCpu, hwmKb: finalSipp.hwmKb },
    loadSeconds,
    drainSeconds,
    drained,
    processes: [figures(bridgeSampler, 'bridge'), figures(backendSampler, 'backend')],
    backlog: { peak: backlog.peak, atSippEnd: backlogAtSippEnd, timeline: backlog.timeline },
    refusedRecordings,
    bridgeExit,
    bridgeProblems: bridgeLog.problems,
    promptSkipsMs: bridgeLog.promptSkipsMs,
    records,
    byStatus,
    profiles: knobs.cpuProfile ? readdirSync(dirs.profiles).map((file) => join(dirs.profiles, file)) : [],
  });
  return targets.every((target) => target.met);
}

/** The scenario as shipped, or a copy naming SIPP_PCAP_DIR's capture. */
function scenarioFor(pcap: string, directory: string): string {
  if (pcap === DEFAULT_PCAP) return SCENARIO;
  const copy = join(directory, 'caller-abandons.xml');
  writeFileSync(copy, readFileSync(SCENARIO, 'utf8').replaceAll(DEFAULT_PCAP, pcap));
  return copy;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server';
import { freeUdpPortBlock } from './sipp';

/** The built bridge, as `npm start -w sip-bridge` runs it; SIP_BRIDGE_MAIN points at another build. */
const BRIDGE_MAIN = process.env.SIP_BRIDGE_MAIN ?? join(ROOT, 'sip-bridge', 'dist', 'main.js');
const RTP_PORTS_PER_BRIDGE = 40;

/** One line of the bridge's JSON log. */
export interface BridgeLogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface StartBridgeOptions {
  backendUrl: string;
  ctiToken: string;
  /** SIP_REALM; must be the backend's CTI_REALM. */
  realm: string;
  promptsDir: string;
  /** Any other variable: RING_TIMEOUT, SURVEY_TIMEOUT, QUEUE_MAX, ANSWER_AFTER… */
  env?: Record<string, string>;
}

export interface RunningBridge {
  /** host:port of its SIP socket (UDP and TCP), SIPp's target. */
  target: string;
  port: number;
  spoolDir: string;
  output: () => string;
  logLines: () => BridgeLogLine[];
  /** The first log line (from line `from` on) for which `match` holds. */
  waitForLog: (match: (line: BridgeLogLine) => boolean, timeoutMs: number, from?: number) => Promise<BridgeLogLine>;
  /** The first `count` log lines (from line `from` on) for which `match` holds, once there are that many. */
  waitForLogs: (match: (line: BridgeLogLine) => boolean, count: number, timeoutMs: number, from?: number) => Promise<BridgeLogLine[]>;
  /**
   * Stops the bridge's process (SIGSTOP) for `ms` and lets it go on (SIGCONT): a host that stalls it, as an overloaded
   * machine or a swapped-out process would. The peers' packets wait in its sockets meanwhile. Resolves with how
   * long it stayed stopped (more than `ms` when this process's own timer ran late).
   */
  freeze: (ms: number) => Promise<number>;
  /** SIGTERM: the bridge hangs up its calls, writes its journal and exits. Its spool stays for inspection. */
  stop: () => Promise<void>;
  /** stop(), then removes its spool. */
  dispose: () => Promise<void>;
}

/**
 * Starts `node sip-bridge/dist/main.js` on 127.0.0.1 with a system-chosen SIP port, a free RTP port block and its
 * own spool directory, and waits for its "SIP bridge listening" line.
 */
export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge> {
  if (!existsSync(BRIDGE_MAIN)) throw new Error(`${BRIDGE_MAIN} is missing: run npm run build -w sip-bridge first`);
  const spoolDir = mkdtempSync(join(tmpdir(), 'jiesu-sip-spool-'));
  const rtpMin = await freeUdpPortBlock(RTP_PORTS_PER_BRIDGE);
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [BRIDGE_MAIN], {
    cwd: join(ROOT, 'sip-bridge'),
    env: {
      ...process.env,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      SIP_REALM: options.realm,
      RTP_PORT_MIN: String(rtpMin),
      RTP_PORT_MAX: String(rtpMin + RTP_PORTS_PER_BRIDGE - 1),
      BACKEND_URL: options.backendUrl,
      CTI_TOKEN: options.ctiToken,
      SPOOL_DIR: spoolDir,
      PROMPTS_DIR: options.promptsDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const logLines = (): BridgeLogLine[] =>
    log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as BridgeLogLine];
        } catch {
          return [];
        }
      });
  const waitForLogs = async (match: (line: BridgeLogLine) => boolean, count: number, timeoutMs: number, from = 0): Promise<BridgeLogLine[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logLines().slice(from).filter(match);
      if (found.length >= count) return found.slice(0, count);
      if (child.exitCode !== null) throw new Error(`The SIP bridge exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`The SIP bridge did not log the ${count} expected line(s) within ${timeoutMs} ms (found ${found.length}):\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const waitForLog = async (match: (line: BridgeLogLine) => boolean, timeoutMs: number, from = 0): Promise<BridgeLogLine> =>
    (await waitForLogs(match, 1, timeoutMs, from))[0];
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      // The bridge gives itself 10 s to hang up and write its journal.
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 12_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  };
  const freeze = async (ms: number): Promise<number> => {
    const stoppedAt = performance.now();
    child.kill('SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      child.kill('SIGCONT');
    }
    return performance.now() - stoppedAt;
  };
  const dispose = async () => {
    await stop();
    rmSync(spoolDir, { recursive: true, force: true });
  };
  try {
    const listening = await waitForLog((line) => line.msg === 'SIP bridge listening', 15_000);
    const port = Number(listening.port);
    return { target: `127.0.0.1:${port}`, port, spoolDir, output: () => log, logLines, waitForLog, waitForLogs, freeze, stop, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The IVR's prompts (sip-bridge/prompts layout), in seconds: short tones so the calls stay short. */
export interface PromptLengths {
  welcome: number;
  waiting: number;
  survey: number;
  thanks: number;
  busy: number;
}

/** Writes each prompt as an 8 kHz mono 16-bit PCM WAV of a tone lasting exactly its length. */
export function writeTonePrompts(directory: string, lengths: PromptLengths): void {
  mkdirSync(directory, { recursive: true });
  let frequency = 400;
  for (const [name, seconds] of Object.entries(lengths)) {
    const samples = Math.round(seconds * 8000);
    const wav = Buffer.alloc(44 + samples * 2);
    writeWavHeader(wav, { channels: 1, sampleRate: 8000, bitsPerSample: 16, dataBytes: samples * 2 });
    for (let index = 0; index < samples; index += 1) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * frequency * index) / 8000)), 44 + index * 2);
    writeFileSync(join(directory, `${name}.wav`), wav);
    frequency += 110;
  }
}

function writeWavHeader(wav: Buffer, format: { channels: number; sampleRate: number; bitsPerSample: number; dataBytes: number }): void {
  const blockAlign = (format.channels * format.bitsPerSample) / 8;
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + format.dataBytes, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(format.channels, 22);
  wav.writeUInt32LE(format.sampleRate, 24);
  wav.writeUInt32LE(format.sampleRate * blockAlign, 28);
  wav.writeUInt16LE(blockAlign, 32);
  wav.writeUInt16LE(format.bitsPerSample, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(format.dataBytes, 40);
}

/** What a WAV's header says (RIFF chunks walked, not a fixed 44-byte layout assumed). */
export interface WavInfo {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  dataOffset: number;
  /** The data chunk's size as the header states it. */
  dataBytes: number;
  durationSeconds: number;
}

export function parseWav(file: Buffer): WavInfo {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') throw new Error('Not a RIFF/WAVE file');
  let format: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'durationSeconds'> | undefined;
  for (let offset = 12; offset + 8 <= file.length; ) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        audioFormat: file.readUInt16LE(body),
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        byteRate: file.readUInt32LE(body + 8),
        blockAlign: file.readUInt16LE(body + 12),
        bitsPerSample: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (format === undefined) throw new Error('WAV data chunk before its fmt chunk');
      return { ...format, dataOffset: body, dataBytes: size, durationSeconds: size / format.byteRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV without a data chunk');
}

/** Seconds of one channel of a 16-bit PCM WAV that hold a non-zero sample (the recorder leaves silence at zero). */
export function channelSecondsWithAudio(file: Buffer, wav: WavInfo, channel: number): number {
  let samples = 0;
  const end = Math.min(file.length, wav.dataOffset + wav.dataBytes);
  for (let offset = wav.dataOffset + channel * 2; offset + 2 <= end; offset += wav.blockAlign) if (file.readInt16LE(offset) !== 0) samples += 1;
  return samples / wav.sampleRate;
}

/** A SIP message as a raw UDP peer sees it: the first line and the headers (first value of each, lower-case names). */
export interface ReceivedSip {
  startLine: string;
  status: number | undefined;
  headers: Map<string, string>;
  raw: string;
}

/** A bare UDP socket talking to the bridge, for what SIPp cannot send: junk, truncated and malformed requests. */
export class UdpSipPeer {
  readonly received: ReceivedSip[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('message', (datagram) => {
      this.received.push(parseSip(datagram.toString('utf8')));
      for (const wake of this.waiters) wake();
    });
  }

  static async open(): Promise<UdpSipPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', resolve);
    });
    return new UdpSipPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  async send(datagram: Buffer | string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  }

  /** The first message received (from the start) for which `match` holds. */
  async waitFor(match: (message: ReceivedSip) => boolean, timeoutMs: number): Promise<ReceivedSip> {
    const found = this.received.find(match);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`No matching SIP message within ${timeoutMs} ms; received:\n${this.received.map((message) => message.raw).join('\n---\n')}`));
      }, timeoutMs);
      const check = () => {
        const message = this.received.find(match);
        if (message === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(message);
      };
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(resolve));
  }
}

function parseSip(raw: string): ReceivedSip {
  const [head = ''] = raw.split(/\r?\n\r?\n/, 1);
  const [startLine = '', ...lines] = head.split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const match = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (match && !headers.has(match[1].toLowerCase())) headers.set(match[1].toLowerCase(), match[2].trim());
  }
  const status = /^SIP\/2\.0 (\d{3}) /.exec(startLine);
  return { startLine, status: status ? Number(status[1]) : undefined, headers, raw };
}

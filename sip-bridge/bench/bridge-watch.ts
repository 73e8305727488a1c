import { readdirSync } from 'node:fs';

/** The fields of a bridge log line the watch reads (anything may arrive: each is checked before use). */
interface WatchedLine {
  level?: unknown;
  msg?: unknown;
  promptAudioSkippedMs?: unknown;
}

/**
 * What the bench follows in the bridge's log (JSON lines on stdout): start-up, warnings and errors by message, and
 * the prompt audio each call's 'Call ended' line says the bridge skipped because it fell behind.
 */
export class BridgeLogWatch {
  listening = false;
  readonly problems = new Map<string, number>();
  /** promptAudioSkippedMs of every call that skipped some (at LOG_LEVEL=warn only those calls log their end). */
  readonly promptSkipsMs: number[] = [];

  line(text: string): void {
    let record: WatchedLine;
    try {
      record = JSON.parse(text) as WatchedLine;
    } catch {
      return;
    }
    if (record.msg === 'SIP bridge listening') this.listening = true;
    if (typeof record.msg === 'string' && record.msg.startsWith('Call ended') && typeof record.promptAudioSkippedMs === 'number' && record.promptAudioSkippedMs > 0) {
      this.promptSkipsMs.push(record.promptAudioSkippedMs);
    }
    if ((record.level === 'warn' || record.level === 'error') && typeof record.msg === 'string') {
      const key = `${record.level}: ${record.msg}`;
      this.problems.set(key, (this.problems.get(key) ?? 0) + 1);
    }
  }
}

/**
 * WAVs in the bridge's spool (SPOOL_DIR/recordings): the recordings of calls in progress and those waiting for
 * upload — the outbox deletes each once the backend has it, after the call's events (it delivers in order).
 */
export class SpoolBacklog {
  peak = 0;
  /** The count every second since start(). */
  readonly timeline: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly directory: string) {}

  start(): void {
    this.timer = setInterval(() => {
      const count = this.count();
      this.timeline.push(count);
      this.peak = Math.max(this.peak, count);
    }, 1_000);
  }

  count(): number {
    try {
      return readdirSync(this.directory).filter((file) => file.endsWith('.wav')).length;
    } catch {
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

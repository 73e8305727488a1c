import { mkdir, rename, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../logger';
import { type MediaScheduler, systemScheduler } from '../media/scheduler';
import type { DeliveryResult } from './backend-client';
import type { CtiEvent } from './cti-events';
import { type JournalEntry, type OutboxItem, OutboxJournal } from './outbox-journal';

/** Sends one outbox item; CtiBackendClient in production, any peer in tests. */
export interface OutboxDelivery {
  postEvent(event: CtiEvent): Promise<DeliveryResult>;
  uploadRecording(callId: string, file: string): Promise<DeliveryResult>;
}

export interface CtiOutboxOptions {
  /** SPOOL_DIR: the journal and `recordings/`. */
  spoolDir: string;
  delivery: OutboxDelivery;
  logger: Logger;
  scheduler?: MediaScheduler;
  /** First wait after a failed attempt; doubles up to `maxRetryDelayMs`. Defaults 500 ms and 30 s. */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Items of different calls sent at the same time (each call's items stay strictly in order). Default 8. */
  concurrency?: number;
}

/**
 * The durable outbox between the bridge and the backend: every event and recording upload is written to
 * the journal (SPOOL_DIR) BEFORE it is sent, then delivered — each call's items strictly in order, one at a time,
 * several calls side by side (`concurrency`, so that one call's big recording or a busy hour's backlog does not hold
 * up the next call's events) — retried with exponential backoff while the backend is down. A bridge restart replays
 * what was not delivered; the backend ignores duplicates (same callId + event), so an item sent just before a crash
 * may arrive twice.
 */
export class CtiOutbox {
  private wake: (() => void) | undefined;
  private closed = false;
  private running: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private retryDelayMs: number;
  private cancelRetry: (() => void) | undefined;
  private readonly scheduler: MediaScheduler;
  private readonly initialRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly concurrency: number;
  /** Attempts under way, by journal seq; each settles after its mark (and a recording's file) is dealt with. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** An attempt answered "retry": no new attempt starts before the backoff. */
  private backingOff = false;
  /** Delivered (or refused for good) since start, for diagnostics and tests. */
  delivered = 0;

  private constructor(
    private readonly journal: OutboxJournal,
    private readonly options: CtiOutboxOptions,
  ) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.initialRetryDelayMs = options.initialRetryDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.retryDelayMs = this.initialRetryDelayMs;
  }

  /** Opens (and replays) the journal and starts delivering. */
  static async open(options: CtiOutboxOptions): Promise<CtiOutbox> {
    await mkdir(recordingsDirectory(options.spoolDir), { recursive: true });
    const journal = await OutboxJournal.open(options.spoolDir, options.logger);
    const outbox = new CtiOutbox(journal, options);
    if (journal.pendingCount > 0) options.logger.info('Replaying the CTI outbox', { pending: journal.pendingCount });
    outbox.running = outbox.run();
    return outbox;
  }

  /** Where the call flow writes recordings that will be uploaded (and deleted once delivered). */
  get recordingsDir(): string {
    return recordingsDirectory(this.options.spoolDir);
  }

  get pendingCount(): number {
    return this.journal.pendingCount;
  }

  /** Items waiting, oldest first. */
  pending(): OutboxItem[] {
    return this.journal.pending().map((entry) => entry.item);
  }

  /** Queues an event; resolves once it is on disk. */
  async enqueueEvent(event: CtiEvent): Promise<void> {
    await this.enqueue({ kind: 'event', event });
  }

  /** Queues a recording upload (the file must be in `recordingsDir` or anywhere durable); resolves once journaled. */
  async enqueueRecording(callId: string, file: string): Promise<void> {
    await this.enqueue({ kind: 'recording', callId, file });
  }

  /** Resolves when nothing is waiting (tests, graceful shutdown with a deadline). */
  whenIdle(): Promise<void> {
    if (this.journal.pendingCount === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops delivering (an attempt under way finishes) and writes the journal; what is left is replayed at the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelRetry?.();
    this.wake?.();
    await this.running;
    await this.journal.close();
  }

  private async enqueue(item: OutboxItem): Promise<void> {
    await this.journal.append(item);
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.backingOff) {
        await this.pause(this.retryDelayMs);
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.maxRetryDelayMs);
        this.backingOff = false;
        continue;
      }
      const next = this.inFlight.size < this.concurrency ? this.nextDeliverable() : undefined;
      if (next === undefined) {
        if (this.journal.pendingCount === 0 && this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        // Woken by a new item, by an attempt settling, or by close().
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.start(next);
    }
    await Promise.all(this.inFlight.values());
  }

  /** The oldest pending item not in flight whose call has nothing earlier pending (a call's items go in order). */
  private nextDeliverable(): JournalEntry | undefined {
    const blocked = new Set<string>();
    for (const entry of this.journal.pendingEntries()) {
      const callId = callOf(entry.item);
      if (this.inFlight.has(entry.seq) || blocked.has(callId)) {
        blocked.add(callId);
        continue;
      }
      return entry;
    }
    return undefined;
  }

  private start(entry: JournalEntry): void {
    const attempt = (async () => {
      const result = await this.attempt(entry);
      if (result.kind === 'retry') {
        if (!this.backingOff) {
          this.options.logger.warn('CTI backend unavailable; will retry', { seq: entry.seq, what: describe(entry.item), reason: result.reason, retryInMs: this.retryDelayMs });
        }
        this.backingOff = true;
        return;
      }
      if (result.kind === 'rejected') {
        this.options.logger.error('CTI backend refused an item; dropped from the outbox', { seq: entry.seq, what: describe(entry.item), reason: result.reason });
      }
      this.retryDelayMs = this.initialRetryDelayMs;
      this.delivered += 1;
      // The entry leaves the pending list at once; its delivered mark is not durable (losing it costs a duplicate,
      // which the backend ignores), so nothing waits for the journal write but a recording's file, which goes only
      // once the mark is written.
      const marked = this.journal.markDelivered(entry.seq);
      if (entry.item.kind === 'recording') {
        await marked;
        // A refused recording is kept aside for an operator (it may be a backend misconfiguration), never lost.
        if (result.kind === 'rejected') await this.keepRefused(entry.item.file);
        else await unlink(entry.item.file).catch(() => undefined);
      }
    })().finally(() => {
      this.inFlight.delete(entry.seq);
      this.wake?.();
    });
    this.inFlight.set(entry.seq, attempt);
  }

  private async keepRefused(file: string): Promise<void> {
    const directory = join(this.options.spoolDir, 'refused');
    try {
      await mkdir(directory, { recursive: true });
      await rename(file, join(directory, basename(file)));
      this.options.logger.warn('Refused recording kept for an operator', { file: join(directory, basename(file)) });
    } catch {
      // The file is gone already (that is why it was refused): nothing to keep.
    }
  }

  private async attempt(entry: JournalEntry): Promise<DeliveryResult> {
    try {
      const { item } = entry;
      return item.kind === 'event' ? await this.options.delivery.postEvent(item.event) : await this.options.delivery.uploadRecording(item.callId, item.file);
    } catch (error) {
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Waits for the backoff; close() cuts it short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.scheduler.at(this.scheduler.now() + ms, () => {
        this.cancelRetry = undefined;
        resolve();
      });
      this.cancelRetry = () => {
        cancel();
        this.cancelRetry = undefined;
        resolve();
      };
    });
  }
}

function recordingsDirectory(spoolDir: string): string {
  return join(spoolDir, 'recordings');
}

function callOf(item: OutboxItem): string {
  return item.kind === 'event' ? item.event.callId : item.callId;
}

function describe(item: OutboxItem): string {
  return item.kind === 'event' ? `${item.event.event} ${item.event.callId}` : `recording ${item.callId}`;
}

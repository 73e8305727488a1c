import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger';
import type { CtiEvent } from './cti-events';

/** What waits in the outbox: an event for POST /api/cti/events, or a recording for POST …/recording. */
export type OutboxItem = { kind: 'event'; event: CtiEvent } | { kind: 'recording'; callId: string; file: string };

export interface JournalEntry {
  /** Increases by one per entry, across restarts: the delivery order. */
  seq: number;
  item: OutboxItem;
}

type JournalLine = { seq: number; item: OutboxItem } | { done: number };

export const JOURNAL_FILE = 'outbox.jsonl';
/** Rewrite the journal once this many delivered marks have piled up (or whenever nothing is pending). */
const COMPACT_AFTER_DONE_MARKS = 500;

interface BufferedWrite {
  line: string;
  /** Entries must be on disk before they are sent; a delivered mark may be lost (it only costs a duplicate). */
  durable: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The outbox's append-only journal (one JSON object per line): an entry line when an item is queued,
 * a `{"done":seq}` line when it was delivered. Writes are group-committed — the lines queued while one
 * write + fdatasync runs go out together in the next — so a busy bridge does not fsync per event.
 * Compaction rewrites the pending entries to a temporary file and renames it over the journal (atomic);
 * opening replays the journal, skipping a torn last line left by a crash.
 */
export class OutboxJournal {
  private readonly entries = new Map<number, JournalEntry>();
  private nextSeq: number;
  private doneMarks: number;
  private buffered: BufferedWrite[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    pending: JournalEntry[],
    lastSeq: number,
    private readonly logger: Logger,
  ) {
    for (const entry of pending) this.entries.set(entry.seq, entry);
    this.nextSeq = lastSeq + 1;
    this.doneMarks = 0;
  }

  static async open(directory: string, logger: Logger): Promise<OutboxJournal> {
    await mkdir(directory, { recursive: true });
    const path = join(directory, JOURNAL_FILE);
    const { pending, lastSeq, unreadable } = await replay(path);
    if (unreadable > 0) logger.warn('Skipped unreadable outbox journal lines (a write cut short by a crash)', { path, unreadable });
    await writeAtomically(path, pending);
    const handle = await open(path, 'a');
    return new OutboxJournal(path, handle, pending, lastSeq, logger);
  }

  /** Entries not yet delivered, oldest first. */
  pending(): JournalEntry[] {
    return [...this.entries.values()];
  }

  /** The pending entries in order, without copying them (do not change the journal while iterating). */
  pendingEntries(): IterableIterator<JournalEntry> {
    return this.entries.values();
  }

  get pendingCount(): number {
    return this.entries.size;
  }

  /**
   * Resolves once the entry is on disk (fdatasync). When the disk fails the entry is still kept in
   * memory and delivered (the failure is logged): a full disk must not lose the events of live calls.
   */
  async append(item: OutboxItem): Promise<JournalEntry> {
    if (this.closed) throw new Error('Cannot queue a CTI item: the outbox is closed');
    const entry: JournalEntry = { seq: this.nextSeq++, item };
    this.entries.set(entry.seq, entry);
    await this.write({ seq: entry.seq, item }, true).catch(() => undefined);
    return entry;
  }

  async markDelivered(seq: number): Promise<void> {
    if (!this.entries.delete(seq)) return;
    this.doneMarks += 1;
    await this.write({ done: seq }, false).catch(() => undefined);
  }

  /** Writes what is buffered, compacts, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.handle.close();
    await writeAtomically(this.path, this.pending());
  }

  private write(line: JournalLine, durable: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.buffered.push({ line: `${JSON.stringify(line)}\n`, durable, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.buffered.length > 0) {
        const batch = this.buffered.splice(0);
        try {
          await this.handle.appendFile(batch.map((write) => write.line).join(''));
          if (batch.some((write) => write.durable)) await this.handle.datasync();
          for (const write of batch) write.resolve();
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          this.logger.error('Cannot write the CTI outbox journal', { path: this.path, error: failure.message });
          for (const write of batch) write.reject(failure);
        }
        if (this.buffered.length === 0 && this.doneMarks > 0 && (this.entries.size === 0 || this.doneMarks >= COMPACT_AFTER_DONE_MARKS)) {
          await this.compact();
        }
      }
    } finally {
      // Set synchronously after the last check of `buffered`: a write() arriving later starts a new loop.
      this.flushing = undefined;
    }
  }

  private async compact(): Promise<void> {
    try {
      await this.handle.close();
      await writeAtomically(this.path, this.pending());
      this.doneMarks = 0;
    } catch (error) {
      this.logger.warn('Cannot compact the CTI outbox journal; it keeps growing until the next try', {
        path: this.path,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.handle = await open(this.path, 'a');
    }
  }
}

async function replay(path: string): Promise<{ pending: JournalEntry[]; lastSeq: number; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { pending: [], lastSeq: 0, unreadable: 0 };
    throw error;
  }
  const entries = new Map<number, JournalEntry>();
  let lastSeq = 0;
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (parsed === undefined) {
      unreadable += 1;
      continue;
    }
    if ('done' in parsed) entries.delete(parsed.done);
    else {
      entries.set(parsed.seq, { seq: parsed.seq, item: parsed.item });
      lastSeq = Math.max(lastSeq, parsed.seq);
    }
  }
  // Delivered marks can outlive their entries after a compaction; the order is the sequence.
  const pending = [...entries.values()].sort((a, b) => a.seq - b.seq);
  return { pending, lastSeq: Math.max(lastSeq, pending.at(-1)?.seq ?? 0), unreadable };
}

function parseLine(line: string): JournalLine | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    if (typeof record.done === 'number') return { done: record.done };
    if (typeof record.seq === 'number' && isOutboxItem(record.item)) return { seq: record.seq, item: record.item };
    return undefined;
  } catch {
    return undefined;
  }
}

function isOutboxItem(value: unknown): value is OutboxItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  if (item.kind === 'event') return typeof item.event === 'object' && item.event !== null && typeof (item.event as Record<string, unknown>).callId === 'string';
  return item.kind === 'recording' && typeof item.callId === 'string' && typeof item.file === 'string';
}

/** Temporary file, fsync, rename over the journal: a crash leaves either the old or the new journal. */
async function writeAtomically(path: string, entries: JournalEntry[]): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(entries.map((entry) => `${JSON.stringify({ seq: entry.seq, item: entry.item })}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

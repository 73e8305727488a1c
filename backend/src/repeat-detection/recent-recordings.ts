import type { CandidateFingerprint } from './matter-index.repository';

/** What must be read from the database for one key: its newest `limit` orders created in [since, before). */
export interface KeyRead {
  /** The key's position in the keys asked for. */
  keyIndex: number;
  key: string;
  since: Date;
  /** Exclusive; null: no upper bound (the window holds nothing of the key for certain). */
  before: Date | null;
  limit: number;
}

/** A key's orders the window answers for, newest first, and the keys it cannot answer (whole or in part). */
export interface WindowRead {
  /** Per key asked for (same positions): the newest orders from `since` the window holds for certain, newest first. */
  found: RecentRecording[][];
  /** What the database must add: for each such key, its orders older than what the window holds for certain. */
  missing: KeyRead[];
}

/** An order the window keeps: what a candidate needs besides its profile (its features, kept by the detector). */
export type RecentRecording = CandidateFingerprint;

interface KeyBucket {
  /** Oldest first (createdAt, then workOrderId): the order the index reads them in, reversed. */
  readonly entries: RecentRecording[];
  /** Orders of this key created at or before this time (ms) may be missing here: the oldest ones were dropped. */
  floor: number;
}

/** Orders kept per key: a lookup reads the newest 40 of each key (ROWS_PER_KEY), these leave room for late arrivals. */
export const DEFAULT_PER_KEY = 64;
/** Keys kept at most (most of an order's keys are shared; a caller's key is often its own). */
export const DEFAULT_MAX_KEYS = 100_000;

function before(a: RecentRecording, b: RecentRecording): boolean {
  const at = a.createdAt.getTime();
  const bt = b.createdAt.getTime();
  return at < bt || (at === bt && a.workOrderId < b.workOrderId);
}

/**
 * The detector's index (matter_keys) of the orders recorded lately, in a process's memory: per key its newest
 * orders, fed by every recording of every process (RepeatDetector publishes each on the cluster bus). It answers a
 * lookup's keys as the database would — the newest n orders of the key from a time on — wherever it holds them for
 * certain, and says for the rest which older range the database must add. Memory is bounded (DEFAULT_PER_KEY orders
 * per key, DEFAULT_MAX_KEYS keys), whatever the number of stored orders.
 *
 * What "for certain" means: every order recorded with a creation time after `floor` (the window's) and after its
 * key's own floor (when the key dropped its oldest orders) is here. A key with no orders here has none after the
 * window's floor: a key dropped for room raises the window's floor to its newest order's time. Until `open`, the
 * window holds nothing for certain (floor +∞): every key is read from the database.
 */
export class RecentRecordings {
  private readonly buckets = new Map<string, KeyBucket>();
  private floor = Number.POSITIVE_INFINITY;
  private collecting = false;

  constructor(
    private readonly perKey = DEFAULT_PER_KEY,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** Whether the window answers anything (opened since it last began collecting). */
  get started(): boolean {
    return this.floor !== Number.POSITIVE_INFINITY;
  }

  /** Keys held (for tests and the health of memory). */
  get keyCount(): number {
    return this.buckets.size;
  }

  /**
   * Begins keeping what `add` is given (dropping what was held), answering nothing yet: from before the database is
   * asked where the window can start (`open`), so that no order recorded meanwhile is missed.
   */
  collect(): void {
    this.buckets.clear();
    this.floor = Number.POSITIVE_INFINITY;
    this.collecting = true;
  }

  /**
   * Every order recorded with a creation time after `floor` (ms; −∞: every order ever) has reached `add` since
   * `collect` or will: the window answers for those from now on.
   */
  open(floor: number): void {
    if (!this.collecting) return;
    this.floor = floor;
  }

  /** A recorded order and its index keys (an order seen before is ignored). */
  add(recording: RecentRecording, keys: readonly string[]): void {
    if (!this.collecting) return;
    for (const key of keys) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = { entries: [], floor: Number.NEGATIVE_INFINITY };
        this.buckets.set(key, bucket);
      }
      insertSorted(bucket.entries, recording);
      if (bucket.entries.length > this.perKey) {
        const dropped = bucket.entries.shift()!;
        bucket.floor = Math.max(bucket.floor, dropped.createdAt.getTime());
      }
    }
    if (this.buckets.size > this.maxKeys) this.dropOldestKeys();
  }

  /**
   * Makes room: drops the keys whose newest order is oldest — a quarter of the keys at a time, so that the keys are
   * sorted by time once per so many new keys — and raises the window's floor to the newest order dropped with them.
   */
  private dropOldestKeys(): void {
    const newest = (bucket: KeyBucket) => bucket.entries[bucket.entries.length - 1]?.createdAt.getTime() ?? Number.NEGATIVE_INFINITY;
    const times = new Float64Array(this.buckets.size);
    let i = 0;
    for (const bucket of this.buckets.values()) times[i++] = newest(bucket);
    times.sort();
    // Every key whose newest order is at or before this time goes (ties with it too).
    const threshold = times[this.buckets.size - Math.floor(this.maxKeys * 0.75) - 1];
    for (const [key, bucket] of this.buckets) {
      if (newest(bucket) <= threshold) this.buckets.delete(key);
    }
    this.floor = Math.max(this.floor, threshold);
  }

  /**
   * For each key, its newest `perKey` orders created at or after `since`, as far as the window holds them for
   * certain; for the keys where that is fewer than `perKey` and older orders could exist, the range the database
   * must read (created in [since, the key's floor], at most the number still wanted).
   */
  read(keys: readonly string[], since: Date, perKey: number): WindowRead {
    const from = since.getTime();
    const found: RecentRecording[][] = [];
    const missing: KeyRead[] = [];
    keys.forEach((key, keyIndex) => {
      const bucket = this.buckets.get(key);
      const certainAfter = Math.max(this.floor, bucket?.floor ?? Number.NEGATIVE_INFINITY);
      const newest: RecentRecording[] = [];
      const entries = bucket?.entries ?? [];
      for (let i = entries.length - 1; i >= 0 && newest.length < perKey; i--) {
        const at = entries[i].createdAt.getTime();
        if (at < from || at <= certainAfter) break;
        newest.push(entries[i]);
      }
      found.push(newest);
      if (newest.length < perKey && from <= certainAfter) {
        const bound = certainAfter === Number.POSITIVE_INFINITY ? null : new Date(certainAfter + 1);
        missing.push({ keyIndex, key, since, before: bound, limit: perKey - newest.length });
      }
    });
    return { found, missing };
  }
}

/** Into the oldest-first list at its place (nearly always the end); an order already there is not added again. */
function insertSorted(entries: RecentRecording[], recording: RecentRecording): void {
  let i = entries.length;
  while (i > 0 && before(recording, entries[i - 1])) i--;
  if (i > 0 && entries[i - 1].workOrderId === recording.workOrderId) return;
  entries.splice(i, 0, recording);
}

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

/**
 * What the database answered for one key below what the window holds for certain (KeyRead): those orders stay as
 * they are — an order's index rows are written once — unless an order recorded late, created within the range, joins
 * them (`add` then forgets the answer).
 */
interface OlderOrders {
  /** The range read: created in [since, upTo] (ms; upTo: what the window held for certain after, at the read). */
  readonly since: number;
  readonly upTo: number;
  /** At most this many were asked for: fewer in `orders` means the whole range. */
  readonly limit: number;
  /** Newest first. */
  readonly orders: readonly RecentRecording[];
}

/** A row the database answered for a KeyRead (MatterIndexRepository.keyEntries). */
export interface KeyEntry {
  keyIndex: number;
  fingerprint: RecentRecording | null;
}

interface KeyBucket {
  /** Oldest first (createdAt, then workOrderId): the order the index reads them in, reversed. */
  readonly entries: RecentRecording[];
  /** Orders of this key created at or before this time (ms) may be missing here: the oldest ones were dropped. */
  floor: number;
  /** When (`stamp`) an order of this key was last recorded late: a database answer read before then may lack it. */
  lateAt: number;
}

/** Orders kept per key: a lookup reads the newest 40 of each key (ROWS_PER_KEY), these leave room for late arrivals. */
export const DEFAULT_PER_KEY = 64;
/** Keys kept at most (most of an order's keys are shared; a caller's key is often its own). */
export const DEFAULT_MAX_KEYS = 100_000;
/** The database's answers kept (`learn`): at most DEFAULT_MAX_KEYS keys and this many orders in them together. */
export const DEFAULT_MAX_OLDER_ORDERS = 200_000;

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
 *
 * It also keeps what the database answered for a key below that (`learn`): the same key's older orders are asked
 * for again by the next order about the same place or matter, and at once by the screening's second look at the same
 * order (RepeatDetector.refresh) — the answer holds as long as the window's bound for the key stays where it was and
 * no order created within the range is recorded late (then `add` forgets it).
 */
export class RecentRecordings {
  private readonly buckets = new Map<string, KeyBucket>();
  private floor = Number.POSITIVE_INFINITY;
  private collecting = false;
  /** The database's answers per key, oldest learnt first (the first to go for room). */
  private readonly older = new Map<string, OlderOrders>();
  private olderOrders = 0;
  /** Counts the changes `learn` must know of: an order recorded late (its key's `lateAt`), keys dropped (`droppedAt`). */
  private changes = 0;
  private droppedAt = 0;

  constructor(
    private readonly perKey = DEFAULT_PER_KEY,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
    private readonly maxOlderOrders = DEFAULT_MAX_OLDER_ORDERS,
  ) {}

  /** Whether the window answers anything (opened since it last began collecting). */
  get started(): boolean {
    return this.floor !== Number.POSITIVE_INFINITY;
  }

  /** Keys held (for tests and the health of memory). */
  get keyCount(): number {
    return this.buckets.size;
  }

  /** Keys whose older orders the database answered are kept for, and those orders counted (tests, memory). */
  get learnt(): { keys: number; orders: number } {
    return { keys: this.older.size, orders: this.olderOrders };
  }

  /**
   * Taken before a database read and passed to `learn` with its answer: a key's answer is not kept when an order of the
   * key was recorded late since (the answer may lack it), nor any when keys were dropped for room since.
   */
  get stamp(): number {
    return this.changes;
  }

  /**
   * Begins keeping what `add` is given (dropping what was held), answering nothing yet: from before the database is
   * asked where the window can start (`open`), so that no order recorded meanwhile is missed.
   */
  collect(): void {
    this.buckets.clear();
    this.droppedAt = ++this.changes;
    this.forgetOlder();
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
    this.forgetOlder();
  }

  /** A recorded order and its index keys (an order seen before is ignored). */
  add(recording: RecentRecording, keys: readonly string[]): void {
    if (!this.collecting) return;
    const at = recording.createdAt.getTime();
    for (const key of keys) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = { entries: [], floor: Number.NEGATIVE_INFINITY, lateAt: 0 };
        this.buckets.set(key, bucket);
      }
      if (at <= Math.max(this.floor, bucket.floor)) {
        // Late: within what the database answers for the key, so a kept answer may lack it.
        bucket.lateAt = ++this.changes;
        this.forgetOlderOf(key);
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
    // The database's answers were for ranges up to the old floor: no read asks for them again. (And a dropped key's
    // late recordings are forgotten with it: no answer read before now is kept.)
    this.droppedAt = ++this.changes;
    this.forgetOlder();
  }

  /**
   * Keeps the database's answer to `reads` (what `read` asked for; `rows` as keyEntries returns them) for later reads
   * of the same keys — unless, since `stamp` was `readFrom`, an order of the key was recorded late (the answer may
   * lack it) or keys were dropped for room; nor a key's answer with an order without its fingerprint (the next read
   * asks the database again).
   */
  learn(reads: readonly KeyRead[], rows: readonly KeyEntry[], readFrom: number): void {
    if (readFrom < this.droppedAt || !this.started) return;
    const answers = new Map<number, RecentRecording[] | null>();
    for (const { keyIndex, fingerprint } of rows) {
      const orders = answers.get(keyIndex);
      if (orders === null) continue;
      if (!fingerprint) answers.set(keyIndex, null);
      else if (orders) orders.push(fingerprint);
      else answers.set(keyIndex, [fingerprint]);
    }
    for (const read of reads) {
      const orders = answers.has(read.keyIndex) ? answers.get(read.keyIndex) : [];
      if (!orders || read.before === null || (this.buckets.get(read.key)?.lateAt ?? 0) > readFrom) continue;
      orders.sort((a, b) => (before(a, b) ? 1 : before(b, a) ? -1 : 0));
      this.forgetOlderOf(read.key);
      this.older.set(read.key, { since: read.since.getTime(), upTo: read.before.getTime() - 1, limit: read.limit, orders });
      this.olderOrders += orders.length;
    }
    for (const [key] of this.older) {
      if (this.older.size <= this.maxKeys && this.olderOrders <= this.maxOlderOrders) break;
      this.forgetOlderOf(key);
    }
  }

  /**
   * A key's newest `wanted` orders created in [from, upTo] from the database's kept answer, or null when it has none
   * for that range or cannot tell (it was for another bound, a later start, or stopped at its limit within the range).
   */
  private olderOf(key: string, from: number, upTo: number, wanted: number): RecentRecording[] | null {
    const answer = this.older.get(key);
    if (!answer || answer.upTo !== upTo || answer.since > from) return null;
    const orders: RecentRecording[] = [];
    for (const order of answer.orders) {
      if (order.createdAt.getTime() < from) return orders; // the answer reached below the range: all of it is here
      orders.push(order);
      if (orders.length === wanted) return orders;
    }
    return answer.orders.length < answer.limit ? orders : null;
  }

  private forgetOlderOf(key: string): void {
    const answer = this.older.get(key);
    if (!answer) return;
    this.olderOrders -= answer.orders.length;
    this.older.delete(key);
  }

  private forgetOlder(): void {
    this.older.clear();
    this.olderOrders = 0;
  }

  /**
   * For each key, its newest `perKey` orders created at or after `since`, as far as the window holds them for
   * certain; for the keys where that is fewer than `perKey` and older orders could exist, the range the database
   * must read (created in [since, the key's floor], at most the number still wanted) — unless the database's answer
   * for it is kept (`learn`): then those orders follow the window's in `found`.
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
        const older = this.olderOf(key, from, certainAfter, perKey - newest.length);
        if (older) {
          newest.push(...older);
          return;
        }
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

import { performance } from 'node:perf_hooks';

/**
 * The safety net behind every invalidation: even a copy whose "stale" message never arrived (a process that was
 * restarting, a lost Redis message, a change written by hand) is read again after this long.
 */
export const CACHE_SAFETY_TTL_MS = 60_000;

interface Entry<T> {
  value: Promise<T>;
  /** performance.now() when the load started (monotonic: a moved wall clock or a test Clock does not matter). */
  loadedAt: number;
}

/**
 * One value read from the database and kept until it is invalidated (ClusterBus `cache.*` messages, published after
 * the change committed) or older than the TTL. The entry is set when its load *starts*: an invalidation that arrives
 * while a load is under way drops that load too, so a read that began before a commit cannot be kept after it.
 * Concurrent callers share one load; a failed load is not kept.
 */
export class InvalidatedCache<T> {
  private entry: Entry<T> | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs = CACHE_SAFETY_TTL_MS,
  ) {}

  get(): Promise<T> {
    const now = performance.now();
    if (this.entry && now - this.entry.loadedAt < this.ttlMs) return this.entry.value;
    const entry: Entry<T> = { value: this.load(), loadedAt: now };
    this.entry = entry;
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = null;
    });
    return entry.value;
  }

  /** The value if a fresh copy is held (or being loaded), else null — without loading it. */
  peek(): Promise<T> | null {
    return this.entry && performance.now() - this.entry.loadedAt < this.ttlMs ? this.entry.value : null;
  }

  invalidate(): void {
    this.entry = null;
  }
}

/** The same per key (e.g. a user's session state by user id), with a bound on the number of keys kept. */
export class KeyedInvalidatedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly load: (key: K) => Promise<V>,
    private readonly ttlMs = CACHE_SAFETY_TTL_MS,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: K): Promise<V> {
    const now = performance.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.loadedAt < this.ttlMs) return cached.value;
    // Far more keys than a center has users: start again rather than grow without bound.
    if (!cached && this.entries.size >= this.maxEntries) this.entries.clear();
    const entry: Entry<V> = { value: this.load(key), loadedAt: now };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  invalidate(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The ClusterBus channels that say "your copy is stale". Published after the change committed; every process (this
 * one included) drops its copy. `cache.user` carries `{ userId }` (or `{ userId: null }`: every user).
 */
export const CACHE_CHANNELS = {
  categories: 'cache.categories',
  units: 'cache.units',
  deadlineRules: 'cache.deadlineRules',
  calendar: 'cache.calendar',
  user: 'cache.user',
} as const;

export interface UserCacheMessage {
  userId: number | null;
}

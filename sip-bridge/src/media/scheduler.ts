/** Absolute-time scheduling, injectable so pacing and timeouts are tested without sleeping. */
export interface MediaScheduler {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Runs `task` once the clock reaches `timeMs` (at once if already past); returns a cancel function. */
  at(timeMs: number, task: () => void): () => void;
}

export const systemScheduler: MediaScheduler = {
  now: () => performance.now(),
  at(timeMs, task) {
    const timer = setTimeout(task, Math.max(0, timeMs - performance.now()));
    return () => clearTimeout(timer);
  },
};

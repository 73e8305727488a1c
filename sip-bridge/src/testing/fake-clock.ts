import type { Clock, TimerHandle } from '../sip/transactions/clock';

interface PendingTimer {
  due: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock that only moves when a test says so; timers fire in due order, each at its own time. */
export class FakeClock implements Clock {
  private current = 0;
  private sequence = 0;
  private pending: PendingTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { due: this.current + Math.max(0, delayMs), order: this.sequence++, callback, cancelled: false };
    this.pending.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward, firing every timer that falls due on the way (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((timer) => !timer.cancelled);
      const next = this.pending.filter((timer) => timer.due <= target).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (next === undefined) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = next.due;
      next.callback();
    }
    this.current = target;
  }

  get pendingCount(): number {
    return this.pending.filter((timer) => !timer.cancelled).length;
  }
}

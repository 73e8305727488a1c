import type { MediaScheduler } from '../media/scheduler';

interface Timer {
  id: number;
  timeMs: number;
  task: () => void;
}

/** A MediaScheduler whose clock moves only when the test says so; tasks run in time order. */
export class FakeScheduler implements MediaScheduler {
  private clock: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(startMs = 0) {
    this.clock = startMs;
  }

  now(): number {
    return this.clock;
  }

  at(timeMs: number, task: () => void): () => void {
    const timer = { id: this.nextId++, timeMs, task };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate.id !== timer.id);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves the clock to `timeMs`, running every task due on the way at its own time. `lateByMs` makes each
   * task run that much after its due time (an event loop that is busy), to test catching up.
   */
  advanceTo(timeMs: number, lateByMs = 0): void {
    for (;;) {
      const due = this.timers.filter((timer) => timer.timeMs + lateByMs <= timeMs).sort((a, b) => a.timeMs - b.timeMs || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer.id !== due.id);
      this.clock = Math.max(this.clock, due.timeMs + lateByMs);
      due.task();
    }
    this.clock = Math.max(this.clock, timeMs);
  }

  advanceBy(ms: number, lateByMs = 0): void {
    this.advanceTo(this.clock + ms, lateByMs);
  }
}

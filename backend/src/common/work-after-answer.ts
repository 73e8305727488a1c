import { Injectable } from '@nestjs/common';

/**
 * Work a request leaves running after its answer (the repeat detector's screening of a new order, for one), tracked so
 * that a graceful stop, a benchmark or a test can wait until it is done. Only the work is tracked, never its result:
 * whoever started it handles its errors.
 */
@Injectable()
export class WorkAfterAnswer {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; answers it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once nothing tracked is running, including work started while waiting. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { isRetryableLockError } from './database-errors';

/** Attempts in all, the first included. */
const MAX_ATTEMPTS = 3;
/** A SQLite transaction holding the write queue longer than this is logged: every write behind it waits. */
export const SLOW_SQLITE_TRANSACTION_MS = 250;

/**
 * Runs units of work in a transaction. On SQLite every write must go through here: a write made beside an
 * open transaction would land inside it (one shared connection) and be rolled back with it. TypeORM's better-sqlite3 driver shares one connection (and one
 * query runner) for everything, so two overlapping transactions would nest as savepoints of each other;
 * on SQLite the transactions are therefore queued one after another. MySQL has a pool and real isolation.
 * The queue costs nothing as long as each transaction is short: better-sqlite3 runs every statement synchronously,
 * so a closure that only talks to the database runs from BEGIN to COMMIT in one go (measured under 50 concurrent
 * registrations: 0.0 ms waiting in the queue, 2–6 ms holding it; docs/benchmarks.md, "SQLite memory"). A closure
 * that awaits anything else — a file, the network, a timer — holds every other write for that long, and is logged.
 *
 * On MySQL/MariaDB a transaction that InnoDB picks as a deadlock victim (or that times out waiting for a
 * lock) is run again from the start, up to three attempts with a short random pause: the work closure must
 * therefore only touch the database through its manager (no files, no events, no counters outside it), so
 * that running it again after a rollback is the same as running it once. When every attempt fails the
 * caller gets 409 "busy, try again" instead of a 500.
 */
@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  /** SQLite: transactions queued and not yet finished, the running one included. */
  private sqliteQueued = 0;

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return this.runWithRetries(work);
    }
    this.sqliteQueued++;
    const next = this.sqliteQueue.then(() => this.runHoldingTheQueue(work));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  private async runHoldingTheQueue<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.sqliteQueued--;
      const held = performance.now() - started;
      if (held > SLOW_SQLITE_TRANSACTION_MS) {
        this.logger.warn(
          `A SQLite transaction held the write queue for ${held.toFixed(0)} ms (${this.sqliteQueued} waiting behind it): its work should only wait on the database`,
        );
      }
    }
  }

  /**
   * MySQL/MariaDB: one statement that is a transaction of its own (a procedure that starts, commits and on an error
   * rolls back itself, such as `register_work_order`), run again like a transaction when InnoDB picks it as a
   * deadlock victim or it times out on a lock (nothing of it was committed then); 409 when every attempt fails.
   */
  runSelfContained<T>(statement: () => Promise<T>): Promise<T> {
    return this.withRetries(statement);
  }

  private runWithRetries<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.withRetries(() => this.dataSource.transaction(work));
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let attempts = 1; ; attempts++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isRetryableLockError(error)) throw error;
        if (attempts >= MAX_ATTEMPTS) {
          this.logger.warn(`Gave up after ${attempts} attempts: ${(error as Error).message}`);
          throw new ConflictException('The records are busy with other changes at the moment: try again');
        }
        // Jittered backoff, so that the two sides of a deadlock do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, randomInt(5, 25) * attempts));
      }
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';

type Callback = () => void;

/**
 * Runs side work (events, pushes, SMS) after the caller's transaction has committed, and drops it when the
 * transaction rolls back, so that nobody hears of a row that never existed. TransactionService retries a deadlock
 * victim in a new transaction: the failed attempt's callbacks die with its rollback, the new attempt queues its own.
 *
 * It listens to TypeORM's transaction events for every query runner. A commit or rollback of a nested savepoint
 * leaves the outer transaction active and is ignored: only the outermost one settles the queue.
 */
@Injectable()
export class AfterCommit implements EntitySubscriberInterface {
  private readonly logger = new Logger(AfterCommit.name);
  private readonly pending = new WeakMap<QueryRunner, Callback[]>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /** Runs `callback` once the manager's transaction commits; at once when there is no transaction. */
  run(manager: EntityManager | undefined, callback: Callback): void {
    const queryRunner = manager?.queryRunner;
    if (!queryRunner || !queryRunner.isTransactionActive) {
      this.invoke(callback);
      return;
    }
    const queue = this.pending.get(queryRunner) ?? [];
    queue.push(callback);
    this.pending.set(queryRunner, queue);
  }

  afterTransactionCommit(event: { queryRunner: QueryRunner }): void {
    if (event.queryRunner.isTransactionActive) return;
    const queue = this.pending.get(event.queryRunner);
    if (!queue) return;
    this.pending.delete(event.queryRunner);
    for (const callback of queue) this.invoke(callback);
  }

  afterTransactionRollback(event: { queryRunner: QueryRunner }): void {
    if (event.queryRunner.isTransactionActive) return;
    this.pending.delete(event.queryRunner);
  }

  /** The transaction has already committed: a failing callback is logged, never thrown into the commit. */
  private invoke(callback: Callback): void {
    try {
      callback();
    } catch (error) {
      this.logger.error(`After-commit work failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

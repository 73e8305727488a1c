import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs units of work in a transaction. On SQLite every write must go through here: a write made beside an
 * open transaction would land inside it (one shared connection) and be rolled back with it. TypeORM's better-sqlite3 driver shares one connection (and one
 * query runner) for everything, so two overlapping transactions would nest as savepoints of each other;
 * on SQLite the transactions are therefore queued one after another. MySQL has a pool and real isolation.
 */
@Injectable()
export class TransactionService {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return this.dataSource.transaction(work);
    }
    const next = this.sqliteQueue.then(() => this.dataSource.transaction(work));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }
}

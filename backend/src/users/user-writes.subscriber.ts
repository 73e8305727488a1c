import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent, UpdateEvent } from 'typeorm';
import { User } from './user.entity';
import { UserAccountsService } from './user-accounts.service';

/**
 * The safety net of the session-state cache: any UPDATE of users made through this process's DataSource — also one
 * that does not go through the users services (a script, a test, a future code path that forgets to publish) — drops
 * the cached states on every process. Inside a transaction the message waits for the commit (a rollback changes
 * nothing), so that no process re-reads the row before the change is visible. Query-builder updates do not say which
 * rows they touched: then every user's state is dropped (user writes are rare admin actions).
 */
@Injectable()
export class UserWritesSubscriber implements EntitySubscriberInterface<User> {
  private readonly pending = new WeakMap<QueryRunner, Set<number | null>>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly accounts: UserAccountsService,
  ) {
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof User {
    return User;
  }

  afterUpdate(event: UpdateEvent<User>): void {
    const id = (event.databaseEntity as User | undefined)?.id ?? (event.entity as Partial<User> | undefined)?.id;
    const userId = typeof id === 'number' ? id : null;
    if (!event.queryRunner.isTransactionActive) {
      this.accounts.changed(userId);
      return;
    }
    const ids = this.pending.get(event.queryRunner) ?? new Set<number | null>();
    ids.add(userId);
    this.pending.set(event.queryRunner, ids);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const ids = this.pending.get(event.queryRunner);
    if (!ids) return;
    this.pending.delete(event.queryRunner);
    if (ids.has(null)) this.accounts.changed(null);
    else for (const id of ids) this.accounts.changed(id);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.pending.delete(event.queryRunner);
  }
}

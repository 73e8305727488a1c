import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionService } from '../database/transaction.service';
import { LoginFailure } from './entities/login-failure.entity';

export type LoginFailureState = Pick<LoginFailure, 'failureCount' | 'lastFailureAt' | 'lockedUntil'>;

export const NO_FAILURES: LoginFailureState = { failureCount: 0, lastFailureAt: null, lockedUntil: null };

/** What a login attempt decided: the state to store and the answer to give once it is stored. */
export interface LoginDecision<T> {
  next: LoginFailureState;
  result: T;
  /** Written in the transaction that stores `next` (the audit row of a failed login or a lockout). */
  alsoWrite?: (manager: EntityManager) => Promise<unknown>;
}

/**
 * Serialises the login attempts for one username so that reading the failure count, checking the password and
 * counting the failure (or locking) are one step: a burst of parallel guesses is decided one after another.
 * MySQL/MariaDB: a row lock (SELECT … FOR UPDATE), correct across several instances. SQLite (one process): a
 * mutex per username — not the global write queue, which would stall every other write during the password hash.
 */
@Injectable()
export class LoginFailuresRepository {
  private readonly sqliteLocks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
  ) {}

  /** Runs `decide` while holding the username's lock; `decide` gets a manager to read with (the locking transaction's on MySQL). */
  withLock<T>(username: string, decide: (state: LoginFailureState, manager: EntityManager) => Promise<LoginDecision<T>>): Promise<T> {
    return this.isSqlite() ? this.withSqliteLock(username, decide) : this.withRowLock(username, decide);
  }

  /** Forgets usernames with no failure and no lock for longer than `idleSeconds`. */
  async deleteIdle(now: Date, idleSeconds: number): Promise<void> {
    const cutoff = new Date(now.getTime() - idleSeconds * 1000);
    await this.transactions.run((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(LoginFailure)
        .where('touchedAt < :cutoff', { cutoff })
        .andWhere('(lockedUntil IS NULL OR lockedUntil < :now)', { now })
        .execute(),
    );
  }

  private async withRowLock<T>(username: string, decide: (state: LoginFailureState, manager: EntityManager) => Promise<LoginDecision<T>>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      // Make sure the row exists before locking it: FOR UPDATE on a missing row takes only a gap lock, which
      // does not keep a second attempt out. The insert commits on its own, so it holds no lock afterwards.
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(LoginFailure)
        .values({ username, ...NO_FAILURES, touchedAt: new Date() })
        .orIgnore()
        .execute();
      const outcome = await this.dataSource.transaction(async (manager) => {
        const row = await manager
          .getRepository(LoginFailure)
          .createQueryBuilder('failure')
          .setLock('pessimistic_write')
          .where('failure.username = :username', { username })
          .getOne();
        // Deleted as idle between the insert and the lock: start over.
        if (!row) return null;
        const decision = await decide(row, manager);
        await manager.update(LoginFailure, { username }, { ...decision.next, touchedAt: new Date() });
        await decision.alsoWrite?.(manager);
        return decision;
      });
      if (outcome) return outcome.result;
      if (attempt >= 3) throw new Error(`The login_failures row for ${username} keeps disappearing`);
    }
  }

  private async withSqliteLock<T>(username: string, decide: (state: LoginFailureState, manager: EntityManager) => Promise<LoginDecision<T>>): Promise<T> {
    const previous = this.sqliteLocks.get(username) ?? Promise.resolve();
    const current = previous.then(async () => {
      const row = await this.dataSource.getRepository(LoginFailure).findOne({ where: { username } });
      const decision = await decide(row ?? NO_FAILURES, this.dataSource.manager);
      await this.transactions.run(async (manager) => {
        await manager.upsert(LoginFailure, { username, ...decision.next, touchedAt: new Date() }, ['username']);
        await decision.alsoWrite?.(manager);
      });
      return decision.result;
    });
    const settled = current.catch(() => undefined);
    this.sqliteLocks.set(username, settled);
    // The last waiter cleans up, so the map holds only usernames with attempts in flight.
    void settled.then(() => {
      if (this.sqliteLocks.get(username) === settled) this.sqliteLocks.delete(username);
    });
    return current;
  }

  private isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }
}

import { ConflictException, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { isRetryableLockError } from './database-errors';
import { SLOW_SQLITE_TRANSACTION_MS, TransactionService } from './transaction.service';

function lockError(errno: number, message: string): QueryFailedError {
  return new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { errno, code: errno === 1213 ? 'ER_LOCK_DEADLOCK' : 'ER_LOCK_WAIT_TIMEOUT' }));
}

/** A MySQL DataSource whose transactions fail with the given errors, in turn, then run the work. */
function mysqlFailingWith(errors: Error[]): { dataSource: DataSource; attempts: () => number } {
  let attempts = 0;
  const dataSource = {
    options: { type: 'mysql' },
    transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
      attempts++;
      const error = errors.shift();
      if (error) throw error;
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { dataSource, attempts: () => attempts };
}

describe('TransactionService on MySQL/MariaDB', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('runs a deadlock victim (1213) or a lock-wait timeout (1205) again, and returns the result', async () => {
    const { dataSource, attempts } = mysqlFailingWith([lockError(1213, 'Deadlock found'), lockError(1205, 'Lock wait timeout exceeded')]);
    const sut = new TransactionService(dataSource);
    await expect(sut.run(async () => 'done')).resolves.toBe('done');
    expect(attempts()).toBe(3);
  });

  it('gives up after three attempts with 409 "busy, try again", not a 500', async () => {
    const { dataSource, attempts } = mysqlFailingWith([1, 2, 3, 4].map(() => lockError(1213, 'Deadlock found')));
    const sut = new TransactionService(dataSource);
    const outcome = sut.run(async () => 'never');
    await expect(outcome).rejects.toBeInstanceOf(ConflictException);
    await expect(outcome).rejects.toThrow(/busy.*try again/);
    expect(attempts()).toBe(3);
  });

  it('runs a self-contained statement (a procedure with its own transaction) again on a deadlock, not on other errors', async () => {
    const sut = new TransactionService({ options: { type: 'mysql' } } as unknown as DataSource);
    const failures = [lockError(1213, 'Deadlock found')];
    let calls = 0;
    await expect(
      sut.runSelfContained(async () => {
        calls++;
        const failure = failures.shift();
        if (failure) throw failure;
        return 'registered';
      }),
    ).resolves.toBe('registered');
    expect(calls).toBe(2);
    const duplicate = new QueryFailedError('CALL …', [], Object.assign(new Error('Duplicate entry'), { errno: 1062 }));
    calls = 0;
    await expect(
      sut.runSelfContained(async () => {
        calls++;
        throw duplicate;
      }),
    ).rejects.toBe(duplicate);
    expect(calls).toBe(1);
    await expect(sut.runSelfContained(() => Promise.reject(lockError(1213, 'Deadlock found')))).rejects.toBeInstanceOf(ConflictException);
  });

  it('does not run other errors again', async () => {
    const duplicate = new QueryFailedError('INSERT …', [], Object.assign(new Error('Duplicate entry'), { errno: 1062 }));
    const { dataSource, attempts } = mysqlFailingWith([duplicate]);
    await expect(new TransactionService(dataSource).run(async () => 'never')).rejects.toBe(duplicate);
    expect(attempts()).toBe(1);
    expect(isRetryableLockError(new Error('Deadlock found'))).toBe(false);
  });
});

/** A SQLite DataSource whose transactions just run the work, counting how many run at once. */
function sqliteDataSource(): { dataSource: DataSource; mostAtOnce: () => number } {
  let running = 0;
  let mostAtOnce = 0;
  const dataSource = {
    options: { type: 'better-sqlite3' },
    transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      try {
        return await work({} as EntityManager);
      } finally {
        running--;
      }
    },
  } as unknown as DataSource;
  return { dataSource, mostAtOnce: () => mostAtOnce };
}

describe('TransactionService on SQLite', () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs transactions one after another, in the order they came, whatever each one awaits', async () => {
    const { dataSource, mostAtOnce } = sqliteDataSource();
    const sut = new TransactionService(dataSource);
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    const order: string[] = [];
    const first = sut.run(async () => {
      order.push('first started');
      await firstMayFinish;
      order.push('first done');
    });
    const second = sut.run(async () => {
      order.push('second started');
    });
    // The second one also follows a first that failed.
    const failing = sut.run(async () => Promise.reject(new Error('constraint')));
    const third = sut.run(async () => order.push('third started'));
    releaseFirst();
    await Promise.all([first, second, expect(failing).rejects.toThrow('constraint'), third]);
    expect(order).toEqual(['first started', 'first done', 'second started', 'third started']);
    expect(mostAtOnce()).toBe(1);
  });

  it('logs a transaction that held the queue too long, with how many waited behind it', async () => {
    const { dataSource } = sqliteDataSource();
    const sut = new TransactionService(dataSource);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const clock = jest.spyOn(performance, 'now');
    // The first transaction starts at 1 s and ends 150 ms past the threshold; every later reading is 5 s.
    clock.mockReturnValue(5_000).mockReturnValueOnce(1_000).mockReturnValueOnce(1_000 + SLOW_SQLITE_TRANSACTION_MS + 150);
    const slow = sut.run(async () => 'slow');
    const behind = sut.run(async () => 'behind');
    await expect(slow).resolves.toBe('slow');
    expect(warn).toHaveBeenCalledWith(
      `A SQLite transaction held the write queue for ${SLOW_SQLITE_TRANSACTION_MS + 150} ms (1 waiting behind it): its work should only wait on the database`,
    );
    await expect(behind).resolves.toBe('behind');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

import { ConflictException, Logger } from '@nestjs/common';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { isRetryableLockError, TransactionService } from './transaction.service';

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

  it('does not run other errors again', async () => {
    const duplicate = new QueryFailedError('INSERT …', [], Object.assign(new Error('Duplicate entry'), { errno: 1062 }));
    const { dataSource, attempts } = mysqlFailingWith([duplicate]);
    await expect(new TransactionService(dataSource).run(async () => 'never')).rejects.toBe(duplicate);
    expect(attempts()).toBe(1);
    expect(isRetryableLockError(new Error('Deadlock found'))).toBe(false);
  });
});

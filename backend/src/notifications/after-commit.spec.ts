import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AfterCommit } from './after-commit';

/** Just enough of a query runner: AfterCommit only looks at isTransactionActive and uses it as a key. */
function fakeTransaction(): { manager: EntityManager; queryRunner: { isTransactionActive: boolean } } {
  const queryRunner = { isTransactionActive: true };
  return { manager: { queryRunner } as unknown as EntityManager, queryRunner };
}

describe('AfterCommit', () => {
  let sut: AfterCommit;
  let subscribers: unknown[];

  beforeEach(() => {
    subscribers = [];
    sut = new AfterCommit({ subscribers } as unknown as DataSource);
  });

  const settle = (queryRunner: { isTransactionActive: boolean }, how: 'commit' | 'rollback', outermost = true) => {
    queryRunner.isTransactionActive = !outermost;
    const event = { queryRunner: queryRunner as unknown as QueryRunner };
    if (how === 'commit') sut.afterTransactionCommit(event);
    else sut.afterTransactionRollback(event);
  };

  it('registers itself with the data source', () => {
    expect(subscribers).toEqual([sut]);
  });

  it('runs at once without a transaction', () => {
    const callback = jest.fn();
    sut.run(undefined, callback);
    sut.run({ queryRunner: { isTransactionActive: false } } as unknown as EntityManager, callback);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('waits for the outermost commit, in order, once', () => {
    const { manager, queryRunner } = fakeTransaction();
    const calls: string[] = [];
    sut.run(manager, () => calls.push('first'));
    sut.run(manager, () => calls.push('second'));
    settle(queryRunner, 'commit', false); // a savepoint released: the transaction goes on
    expect(calls).toEqual([]);
    settle(queryRunner, 'commit');
    settle(queryRunner, 'commit');
    expect(calls).toEqual(['first', 'second']);
  });

  it('drops the work when the transaction rolls back, and keeps other transactions apart', () => {
    const failing = fakeTransaction();
    const other = fakeTransaction();
    const dropped = jest.fn();
    const kept = jest.fn();
    sut.run(failing.manager, dropped);
    sut.run(other.manager, kept);
    settle(failing.queryRunner, 'rollback');
    settle(failing.queryRunner, 'commit');
    expect(dropped).not.toHaveBeenCalled();
    settle(other.queryRunner, 'commit');
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it('never throws into the commit: a failing callback is logged and the next one still runs', () => {
    const { manager, queryRunner } = fakeTransaction();
    const next = jest.fn();
    const logged = jest.spyOn((sut as unknown as { logger: { error: (message: string) => void } }).logger, 'error').mockImplementation(() => undefined);
    sut.run(manager, () => {
      throw new Error('push failed');
    });
    sut.run(manager, next);
    expect(() => settle(queryRunner, 'commit')).not.toThrow();
    expect(next).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith('After-commit work failed: push failed');
  });
});

import { DataSource, type EntityManager } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { TransactionService } from './transaction.service';

// A real InnoDB deadlock needs two connections; SQLite runs one transaction at a time and cannot deadlock.
const onMysql = enginesUnderTest().includes('mysql') ? describe : describe.skip;

onMysql('TransactionService on a real MariaDB deadlock', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('mysql');
  });

  afterAll(async () => {
    await t.close();
  });

  it('two transactions locking two rows in crossing order: the victim is run again and both complete', async () => {
    const transactions = t.app.get(TransactionService);
    const dataSource = t.app.get(DataSource);
    const [first, second] = (await dataSource.query('SELECT id FROM units ORDER BY id LIMIT 2')).map((r: { id: number }) => r.id);
    const lock = (manager: EntityManager, id: number) => manager.query('SELECT id FROM units WHERE id = ? FOR UPDATE', [id]);
    let releaseFirst!: () => void;
    const secondHoldsItsRow = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstHoldsItsRow!: () => void;
    const firstLocked = new Promise<void>((resolve) => (firstHoldsItsRow = resolve));
    let runs = 0;

    const a = transactions.run(async (manager) => {
      runs++;
      await lock(manager, first);
      firstHoldsItsRow();
      await secondHoldsItsRow;
      await lock(manager, second);
      return 'a';
    });
    const b = transactions.run(async (manager) => {
      runs++;
      await firstLocked;
      await lock(manager, second);
      releaseFirst();
      await lock(manager, first);
      return 'b';
    });
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
    expect(runs).toBe(3);
  });
});

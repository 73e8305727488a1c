import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from './cli/mysql-scratch';
import { buildDataSourceOptions, detectMysqlFlavour } from './data-source-options';
import { MIGRATIONS } from './migrations';
import { enginesUnderTest } from '../testing/test-app';

const EXPECTED_TABLES = [
  'attachments',
  'categories',
  'daily_sequences',
  'units',
  'users',
  'work_order_assisting_units',
  'work_order_events',
  'work_order_links',
  'work_orders',
];

describe.each(enginesUnderTest())('migrations from an empty database (%s)', (engine) => {
  let dataSource: DataSource;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let database: AppConfig['database'];
    if (engine === 'mysql') {
      const server = process.env.TEST_MYSQL_URL as string;
      const scratch = await createScratchMysqlDatabase(server, 'jiesu_migrations');
      database = { engine: 'mysql', url: scratch.url, sqlitePath: null, logQueries: false };
      cleanup = () => dropMysqlDatabase(server, scratch.name);
    } else {
      const directory = mkdtempSync(join(tmpdir(), 'jiesu-migrations-'));
      database = { engine: 'sqlite', url: 'sqlite:', sqlitePath: join(directory, 'db.sqlite'), logQueries: false };
      cleanup = async () => rmSync(directory, { recursive: true, force: true });
    }
    dataSource = new DataSource(buildDataSourceOptions(await detectMysqlFlavour(database)));
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await cleanup();
  });

  /**
   * Which of the expected tables this test's own database has. Asked by name: without names TypeORM lists every
   * database of the MySQL server and reads each one's collation in a second query — a scratch database another test
   * run dropped in between made it throw (`reading 'COLLATION'` of undefined).
   */
  async function tableNames(): Promise<string[]> {
    const own = dataSource.driver.database;
    const queryRunner = dataSource.createQueryRunner();
    try {
      const tables = await queryRunner.getTables(EXPECTED_TABLES);
      return tables.filter((t) => !own || !t.database || t.database === own).map((t) => t.name.split('.').pop() as string).sort();
    } finally {
      await queryRunner.release();
    }
  }

  it('applies every migration, leaves no difference to the entities, and reverts to empty', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    const tables = await tableNames();
    expect(tables).toEqual(expect.arrayContaining(EXPECTED_TABLES));

    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await dataSource.runMigrations()).toEqual([]);

    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const left = await tableNames();
    expect(left.filter((name) => EXPECTED_TABLES.includes(name))).toEqual([]);

    await dataSource.runMigrations();
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it('MatterKeysByKeyAndTime keeps the repeat detector\'s keys both ways, and a key\'s newest orders are read from the table\'s own key', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const position = MIGRATIONS.findIndex((M) => new M().name === 'MatterKeysByKeyAndTime1796612563501');
    const undoBack = async () => {
      for (let i = MIGRATIONS.length - 1; i >= position; i--) await dataSource.undoLastMigration({ transaction: 'each' });
    };
    const q = (name: string) => dataSource.driver.escape(name);
    const rows = [
      ['c:caller', 1, '2026-05-01 08:00:00.125'],
      ['c:caller', 2, '2026-05-02 08:00:00.000'],
      ['p:7:lamp', 2, '2026-05-02 08:00:00.000'],
    ] as const;
    const stored = async () =>
      (await dataSource.query(`SELECT ${q('key')} AS k, ${q('workOrderId')} AS id FROM ${q('matter_keys')} ORDER BY ${q('key')}, ${q('workOrderId')}`)).map(
        (row: { k: string; id: number | string }) => `${row.k}/${Number(row.id)}`,
      );
    await undoBack();
    for (const row of rows) await dataSource.query(`INSERT INTO ${q('matter_keys')} (${q('key')}, ${q('workOrderId')}, ${q('createdAt')}) VALUES (?, ?, ?)`, [...row]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await stored()).toEqual(['c:caller/1', 'c:caller/2', 'p:7:lamp/2']);

    const newest = `SELECT ${q('workOrderId')} FROM ${q('matter_keys')} WHERE ${q('key')} = 'c:caller' AND ${q('createdAt')} >= '2026-04-01' ORDER BY ${q('createdAt')} DESC LIMIT 40`;
    if (engine === 'mysql') {
      const [plan] = await dataSource.query<{ key: string; Extra: string | null }[]>(`EXPLAIN ${newest}`);
      expect(plan.key).toBe('PRIMARY');
      expect(plan.Extra ?? '').not.toMatch(/filesort/i);
    } else {
      const plan = (await dataSource.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${newest}`)).map((step) => step.detail).join('; ');
      expect(plan).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_matter_keys/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    expect((await dataSource.query(newest)).map((row: { workOrderId: number | string }) => Number(row.workOrderId))).toEqual([2, 1]);

    await undoBack();
    expect(await stored()).toEqual(['c:caller/1', 'c:caller/2', 'p:7:lamp/2']);
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`DELETE FROM ${q('matter_keys')}`);
  });

  it('stores times in UTC with millisecond precision', async () => {
    const at = new Date('2026-11-22T01:02:03.456Z');
    await dataSource.query(
      engine === 'mysql'
        ? 'INSERT INTO `units` (`code`, `name`, `type`, `active`, `createdAt`, `updatedAt`) VALUES (?, ?, ?, 1, ?, ?)'
        : 'INSERT INTO "units" ("code", "name", "type", "active", "createdAt", "updatedAt") VALUES (?, ?, ?, 1, ?, ?)',
      ['tz-check', '时区检查', 'center', engine === 'mysql' ? at : '2026-11-22 01:02:03.456', engine === 'mysql' ? at : '2026-11-22 01:02:03.456'],
    );
    const row = await dataSource.getRepository('Unit').findOneByOrFail({ code: 'tz-check' });
    expect((row.createdAt as Date).toISOString()).toBe(at.toISOString());
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { buildDataSourceOptions } from './data-source-options';
import { SQLITE_STATEMENT_CACHE_SIZE } from './sqlite-connection';

describe('the SQLite connection (statement texts that repeat, bounded caches)', () => {
  let directory: string;
  let dataSource: DataSource;
  let prepared: string[];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-sqlite-connection-'));
    const path = join(directory, 'jiesu.sqlite');
    dataSource = await new DataSource(buildDataSourceOptions({ engine: 'sqlite', url: `sqlite:${path}`, sqlitePath: path, logQueries: false })).initialize();
    await dataSource.query('CREATE TABLE probe (id INTEGER PRIMARY KEY, label TEXT, amount REAL, flag INTEGER, at TEXT)');
    const connection = (dataSource.driver as BetterSqlite3Driver).databaseConnection as { prepare: (sql: string) => unknown };
    const prepare = connection.prepare.bind(connection);
    prepared = [];
    connection.prepare = (sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    };
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  const insert = (values: { id: number; label: unknown; amount: number; flag: boolean; at: Date }) =>
    dataSource.createQueryBuilder().insert().into('probe').values(values).execute();
  const byId = (id: number) => dataSource.createQueryBuilder().select('p.id', 'id').addSelect('p.label', 'label').from('probe', 'p').where('p.id = :id', { id });

  it('binds numbers as parameters: the same query with another id is the same text, prepared once', async () => {
    const [first, firstParameters] = byId(41).getQueryAndParameters();
    const [second, secondParameters] = byId(42).getQueryAndParameters();
    expect(first).toBe(second);
    expect(first).not.toMatch(/4[12]/);
    expect(firstParameters).toEqual([41n]);
    expect(secondParameters).toEqual([42n]);

    await insert({ id: 1, label: 'one', amount: 1.5, flag: true, at: new Date('2026-12-02T01:02:03.000Z') });
    await insert({ id: 2, label: 'two', amount: 2, flag: false, at: new Date('2026-12-02T04:05:06.000Z') });
    prepared.length = 0;
    for (const id of [1, 2, 1, 2]) await byId(id).getRawOne();
    expect(prepared).toHaveLength(1);
    await expect(byId(2).getRawOne()).resolves.toEqual({ id: 2, label: 'two' });
  });

  it('stores and compares what the literals did: a whole number as INTEGER (also in a TEXT column), a fraction as REAL', async () => {
    // A JavaScript number bound as such would be a REAL: 7 in a TEXT column would read back as "7.0".
    await insert({ id: 3, label: 7, amount: 3, flag: true, at: new Date('2026-12-02T07:08:09.000Z') });
    const [row] = await dataSource.query('SELECT label, typeof(label) AS labelType, amount, typeof(id) AS idType, flag, at FROM probe WHERE id = 3');
    expect(row).toEqual({ label: '7', labelType: 'text', amount: 3, idType: 'integer', flag: 1, at: '2026-12-02 07:08:09.000' });
    const matches = await dataSource.createQueryBuilder().select('p.id', 'id').from('probe', 'p').where('p.label = :label', { label: 7 }).getRawMany();
    expect(matches).toEqual([{ id: 3 }]);
    const fractions = await dataSource.createQueryBuilder().select('p.id', 'id').from('probe', 'p').where('p.amount > :amount', { amount: 1.25 }).orderBy('p.id').getRawMany();
    expect(fractions).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const listed = await dataSource.createQueryBuilder().select('p.id', 'id').from('probe', 'p').where('p.id IN (:...ids)', { ids: [1, 3] }).orderBy('p.id').getRawMany();
    expect(listed).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('opens with the statement cache and pragmas that keep memory bounded', () => {
    expect((dataSource.options as { statementCacheSize?: number }).statementCacheSize).toBe(SQLITE_STATEMENT_CACHE_SIZE);
    const connection = (dataSource.driver as BetterSqlite3Driver).databaseConnection as { pragma: (source: string, options: { simple: true }) => unknown };
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.pragma('cache_size', { simple: true })).toBe(-16000);
    expect(connection.pragma('mmap_size', { simple: true })).toBe(0);
    expect(connection.pragma('journal_size_limit', { simple: true })).toBe(33554432);
    expect(connection.pragma('synchronous', { simple: true })).toBe(1);
    expect(connection.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

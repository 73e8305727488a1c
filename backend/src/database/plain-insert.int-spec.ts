import { DataSource, MoreThanOrEqual } from 'typeorm';
import { MatterFingerprint } from '../repeat-detection/entities/matter-fingerprint.entity';
import { MatterKey } from '../repeat-detection/entities/matter-key.entity';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { PlainInserts } from './plain-insert';

/**
 * PlainInserts writes what TypeORM's own insert would: the same stored values (dates in the column's format on both
 * engines — SQLite compares them as text), several rows in one statement, duplicates left out only when asked.
 */
describe.each(enginesUnderTest())('PlainInserts (%s)', (engine) => {
  let t: TestApp;
  let dataSource: DataSource;
  let orderIds: number[];
  const inserts = new PlainInserts();

  beforeAll(async () => {
    t = await startTestApp(engine);
    dataSource = t.app.get(DataSource);
    const d = await new WorkOrderDriver(t).load();
    orderIds = [];
    for (let i = 0; i < 3; i++) orderIds.push((await d.register('agent1', { title: `第${i}盏路灯不亮` })).id);
  });

  afterAll(() => t.close());

  const fingerprint = (workOrderId: number, createdAt: Date) =>
    Object.assign(new MatterFingerprint(), {
      workOrderId,
      matterId: workOrderId,
      createdAt,
      citizenPhone: null,
      districtUnitId: null,
      streetUnitId: 7,
      categoryId: 3,
      requestType: 'complaint',
      features: JSON.stringify({ v: 1, text: [['路灯', 2]] }),
    });

  it('stores a row exactly as TypeORM’s insert does (every column, dates included)', async () => {
    const createdAt = new Date('2026-03-04T05:06:07.089Z');
    await dataSource.manager.insert(MatterFingerprint, fingerprint(orderIds[0], createdAt));
    const { sql, parameters } = inserts.statement(dataSource.manager, MatterFingerprint, [fingerprint(orderIds[1], createdAt)]);
    await dataSource.query(sql, parameters);

    const [byTypeorm, byPlain] = await Promise.all(
      orderIds.slice(0, 2).map(async (id) => (await dataSource.query('SELECT * FROM matter_fingerprints WHERE workOrderId = ?', [id]))[0] as Record<string, unknown>),
    );
    const { workOrderId: _a, matterId: _b, ...typeormColumns } = byTypeorm;
    const { workOrderId: _c, matterId: _d, ...plainColumns } = byPlain;
    expect(plainColumns).toEqual(typeormColumns);
    const read = await dataSource.manager.findOneByOrFail(MatterFingerprint, { workOrderId: orderIds[1] });
    expect(read.createdAt.toISOString()).toBe('2026-03-04T05:06:07.089Z');
    expect(read.streetUnitId).toBe(7);
    expect(read.citizenPhone).toBeNull();
  });

  it('writes several rows in one statement; with ignoreDuplicates a row already there is left out, without it the INSERT fails', async () => {
    const createdAt = new Date('2026-03-05T00:00:00.500Z');
    const rows = ['k:a', 'k:b', 'k:c'].map((key) => ({ key, workOrderId: orderIds[2], createdAt }));
    const first = inserts.statement(dataSource.manager, MatterKey, rows, { ignoreDuplicates: true });
    expect(first.sql.match(/\(\?, \?, \?\)/g)).toHaveLength(3);
    await dataSource.query(first.sql, first.parameters);

    const again = inserts.statement(dataSource.manager, MatterKey, [...rows.slice(1), { key: 'k:d', workOrderId: orderIds[2], createdAt }], { ignoreDuplicates: true });
    await dataSource.query(again.sql, again.parameters);
    const keys = await dataSource.manager.find(MatterKey, { where: { workOrderId: orderIds[2], createdAt: MoreThanOrEqual(createdAt) }, order: { key: 'ASC' } });
    expect(keys.map((k) => k.key)).toEqual(['k:a', 'k:b', 'k:c', 'k:d']);
    expect(keys.every((k) => k.createdAt.getTime() === createdAt.getTime())).toBe(true);

    const duplicate = inserts.statement(dataSource.manager, MatterKey, [rows[0]]);
    await expect(dataSource.query(duplicate.sql, duplicate.parameters)).rejects.toThrow(/duplicate|UNIQUE/i);
  });

  it('refuses an INSERT of no rows', () => {
    expect(() => inserts.statement(dataSource.manager, MatterKey, [])).toThrow('An INSERT needs at least one row');
  });
});

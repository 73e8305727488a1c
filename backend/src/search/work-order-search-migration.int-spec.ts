import { DataSource, type QueryRunner } from 'typeorm';
import { WorkOrderSearch1796187005610 } from '../database/migrations/1796187005610-WorkOrderSearch';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { WorkOrderSearch } from './work-order-search';

describe.each(enginesUnderTest())('the WorkOrderSearch migration (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });

  afterAll(async () => {
    await t.close();
  });

  it('fills the index from the orders already there, and drops it again', async () => {
    const d = await new WorkOrderDriver(t).load();
    const lamp = await d.register('agent1', { title: '银杏路路灯不亮', content: '银杏路一排路灯不亮。', address: '银杏路3号' });
    const noise = await d.register('agent1', { title: '工地夜间施工噪音', content: '金桥路工地凌晨施工。', address: '金桥路8号', categoryId: d.category('C010301') });
    const dataSource = t.app.get(DataSource);
    const search = t.app.get(WorkOrderSearch);
    const migration = new WorkOrderSearch1796187005610();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('work_order_search')).toBe(false);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await search.newest('路灯', null, 10)).toEqual([lamp.id]);
    expect(await search.newest('施工噪音', null, 10)).toEqual([noise.id]);
    expect(await search.newest(noise.number, null, 10)).toEqual([noise.id]);
    expect((await search.ranked('路灯', 10)).map((r) => r.id)).toEqual([lamp.id]);
    expect(await search.count('路', 10)).toBe(2);
  });
});

describe('the WorkOrderSearch migration on a MariaDB server without Mroonga', () => {
  it('stops with a message telling the operator how to install and enable it', async () => {
    const statements: string[] = [];
    const runner = {
      connection: { options: { type: 'mariadb' } },
      query: async (sql: string) => {
        statements.push(sql);
        if (sql.startsWith('SELECT VERSION()')) return [{ version: '10.11.19-MariaDB-0+deb12u1' }];
        return [];
      },
    } as unknown as QueryRunner;
    await expect(new WorkOrderSearch1796187005610().up(runner)).rejects.toThrow(/apt-get install mariadb-plugin-mroonga.*INSTALL SONAME 'ha_mroonga'/);
    expect(statements.some((sql) => sql.startsWith('CREATE'))).toBe(false);
  });
});

import { DataSource } from 'typeorm';
import { baseSpread, captureStatements, type CapturedStatement, copyOrders, explain, MIXED_STATUSES } from '../../testing/explain-harness';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver } from '../../testing/work-order-driver';

/**
 * Every statement a list request sends to MariaDB, EXPLAINed on a table large enough for the optimizer to choose as
 * it will in production: none may read a table in full (EXPLAIN type ALL), and none may sort a large share of the
 * orders. Runs only with TEST_MYSQL_URL (the global setup makes CI provide it).
 */
const ORDERS = 40_000;
const maybe = process.env.TEST_MYSQL_URL ? describe : describe.skip;


maybe('EXPLAIN of every list query on MariaDB', () => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let dataSource: DataSource;
  let captured: CapturedStatement[] = [];

  beforeAll(async () => {
    t = await startTestApp('mysql');
    d = await new WorkOrderDriver(t).load();
    dataSource = t.app.get(DataSource);
    const template = await d.register('agent1');
    await d.act('dispatcher1', template.id, 'dispatch', { leadUnitId: d.unit('cgj') });
    await bulkCopy(dataSource, template.id, ORDERS, d.unit('cgj'));
    captured = captureStatements(dataSource);
  }, 300_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const month = (ago: number) => new Date(Date.now() - ago * 30 * 86_400_000).toISOString();
  const lists: [string, string][] = [
    ['admin', ''],
    ['admin', 'sortBy=createdAt&sortOrder=ASC'],
    ['admin', 'sortBy=updatedAt'],
    ['admin', 'sortBy=replyDueAt&sortOrder=ASC'],
    ['admin', 'sortBy=acceptDueAt&sortOrder=ASC'],
    ['admin', 'sortBy=urgency'],
    ['admin', 'sortBy=status'],
    ['admin', 'sortBy=number'],
    ['admin', 'status=processing'],
    ['admin', 'status=closed&sortBy=replyDueAt'],
    ['admin', 'leadUnitId=DC'],
    ['admin', 'leadUnitId=DC&sortBy=replyDueAt'],
    ['admin', `createdFrom=${month(2)}&createdTo=${month(1)}`],
    ['admin', 'citizenPhone=13800000007'],
    ['admin', 'categoryId=C01'],
    ['admin', 'channel=email'],
    ['admin', 'requestType=praise'],
    ['admin', 'warning=red'],
    ['admin', 'assistOverdue=true'],
    ['admin', 'keyword=202400'],
    ['dc_cy_handler', `keyword=${encodeURIComponent('路灯')}`],
    ['dc_cy_handler', `keyword=${encodeURIComponent('路灯')}&sortBy=createdAt`],
    ['admin', 'page=50&pageSize=40'],
    ['dc_cy_handler', ''],
    ['dc_cy_handler', 'sortBy=replyDueAt'],
    ['dc_cy_handler', 'sortBy=status'],
    ['dc_cy_handler', 'status=processing&sortBy=acceptDueAt'],
    ['dc_cy_handler', 'assignee=me'],
    ['dc_handler', ''],
    ['dc_handler', 'sortBy=urgency'],
    ['cgj_handler', ''],
    ['cgj_handler', 'sortBy=updatedAt'],
    ['cgj_handler', 'sortBy=replyDueAt&sortOrder=ASC'],
    ['cgj_handler', 'status=processing'],
    ['cgj_handler', 'sortBy=urgency'],
    ['cgj_handler', 'channel=email'],
    ['cgj_handler', 'leadUnitId=DC'],
    ['cgj_admin', 'assistOverdue=true'],
  ];

  it.each(lists)('as %s: %s', async (user, filter) => {
    const query = filter.replace('DC', String(d.unit('dc'))).replace('C01', String(d.category('C01')));
    captured.length = 0;
    const first = await t.get(user, `/api/work-orders?${query}`);
    expect(first.status).toBe(200);
    if (first.body.nextCursor) expect((await t.get(user, `/api/work-orders?${query.replace(/page=\d+&?/, '')}&cursor=${first.body.nextCursor}`)).status).toBe(200);
    const statements = captured.filter((c) => /\bwork_orders\b/.test(c.sql) && /^\s*(SET STATEMENT [^ ]+ FOR )?SELECT/i.test(c.sql));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      // Every list statement runs under the list time limit (LIST_QUERY_TIMEOUT_MS, 5 s by default).
      expect(statement.sql).toMatch(/^SET STATEMENT max_statement_time=5 FOR SELECT/);
      const plan = await explain(dataSource, statement);
      const scans = plan.filter((row) => row.type === 'ALL' && row.table !== null && !row.table.startsWith('<'));
      const bigSorts = plan.filter(
        (row) => row.table === 'wo' && (row.Extra ?? '').includes('Using filesort') && Number(row.rows) > ORDERS / 10,
      );
      if (scans.length > 0 || bigSorts.length > 0) {
        throw new Error(`${user} ${query}:\n${statement.sql}\n${JSON.stringify(plan, null, 1)}`);
      }
    }
  });
});

/**
 * Copies the template order `count` times with a realistic spread: two years of registrations, most closed, lead
 * units and statuses mixed, some deadlines missing, one in ten with an assisting unit.
 */
async function bulkCopy(dataSource: DataSource, templateId: number, count: number, walkingUnitId: number): Promise<void> {
  const { unitList, unitCount } = await copyOrders(dataSource, templateId, count, (context) => ({
    ...baseSpread(context),
    status: MIXED_STATUSES,
    categoryId: `ELT(1 + (n * 13) % ${context.categoryCount}, ${context.categoryList})`,
    urgency: "IF(n % 50 = 0, 'critical', IF(n % 9 = 0, 'urgent', 'normal'))",
    warningLevel: "IF(n < 2000 AND n % 7 = 0, 'red', IF(n < 2000 AND n % 5 = 0, 'yellow', 'none'))",
    citizenPhone: "CONCAT('1380000', LPAD(n % 5000, 4, '0'))",
    replyDueAt: 'IF(n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 7200, UTC_TIMESTAMP(3)))',
    acceptDueAt: 'IF(n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 240, UTC_TIMESTAMP(3)))',
    assigneeId: 'NULL',
  }));
  await dataSource.query(
    `INSERT INTO work_order_assisting_units (workOrderId, unitId, orderCreatedAt, dueAt, reply, repliedAt, repliedById, lateMinutes)
     SELECT id, ELT(1 + (id * 3) % ${unitCount}, ${unitList}), createdAt, TIMESTAMPADD(DAY, 3, createdAt), NULL, NULL, NULL, NULL
     FROM work_orders WHERE id % 10 = 0 AND leadUnitId IS NOT NULL AND leadUnitId <> ELT(1 + (id * 3) % ${unitCount}, ${unitList})`,
  );
  // One bureau assists one order in seven: its list walks the orders (work-order-list.repository.ts).
  await dataSource.query(
    `INSERT IGNORE INTO work_order_assisting_units (workOrderId, unitId, orderCreatedAt, dueAt, reply, repliedAt, repliedById, lateMinutes)
     SELECT id, ?, createdAt, TIMESTAMPADD(DAY, 3, createdAt), NULL, NULL, NULL, NULL FROM work_orders WHERE id % 7 = 0 AND leadUnitId IS NOT NULL AND leadUnitId <> ?`,
    [walkingUnitId, walkingUnitId],
  );
  await dataSource.query('ANALYZE TABLE work_orders, work_order_assisting_units');
}

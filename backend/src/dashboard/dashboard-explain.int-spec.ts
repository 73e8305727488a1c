import { DataSource } from 'typeorm';
import { baseSpread, captureStatements, type CapturedStatement, copyOrders, explain, fullReads, MIXED_STATUSES } from '../testing/explain-harness';
import { startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

/**
 * Every statement GET /api/dashboard sends to MariaDB, EXPLAINed on a table large enough for the optimizer to choose
 * as it will in production: none may read the orders in full, neither the table (EXPLAIN type ALL) nor a whole index
 * (type index), and each runs under the report time limit. Runs only with TEST_MYSQL_URL.
 */
const ORDERS = 40_000;
const maybe = process.env.TEST_MYSQL_URL ? describe : describe.skip;


maybe('EXPLAIN of every dashboard query on MariaDB', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let captured: CapturedStatement[] = [];

  beforeAll(async () => {
    t = await startTestApp('mysql');
    const d = await new WorkOrderDriver(t).load();
    dataSource = t.app.get(DataSource);
    const template = await d.register('agent1');
    await copyOrders(dataSource, template.id, ORDERS, (context) => ({
      ...baseSpread(context),
      closedAt: 'IF(n < 2000 OR n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 600, UTC_TIMESTAMP(3)))',
      status: MIXED_STATUSES,
      categoryId: `ELT(1 + (n * 13) % ${context.categoryCount}, ${context.categoryList})`,
      warningLevel: "IF(n < 2000 AND n % 7 = 0, 'red', IF(n < 2000 AND n % 5 = 0, 'yellow', 'none'))",
      replyDueAt: 'IF(n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 7200, UTC_TIMESTAMP(3)))',
    }));
    captured = captureStatements(dataSource);
  }, 300_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it.each(['supervisor1', 'dc_admin', 'cgj_admin'])('as %s', async (user) => {
    captured.length = 0;
    const response = await t.get(user, '/api/dashboard');
    expect(response.status).toBe(200);
    const statements = captured.filter((c) => /\bwork_orders\b/.test(c.sql));
    expect(statements.length).toBeGreaterThanOrEqual(12);
    for (const statement of statements) {
      // Report statements run under the report time limit (REPORT_QUERY_TIMEOUT_MS, 30 s by default).
      expect(statement.sql).toMatch(/^SET STATEMENT max_statement_time=30 FOR SELECT/);
      const plan = await explain(dataSource, statement);
      const scans = fullReads(plan, 'wo');
      if (scans.length > 0) throw new Error(`${user}:\n${statement.sql}\n${JSON.stringify(plan, null, 1)}`);
    }
  });
});


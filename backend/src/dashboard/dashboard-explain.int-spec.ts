import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

/**
 * Every statement GET /api/dashboard sends to MariaDB, EXPLAINed on a table large enough for the optimizer to choose
 * as it will in production: none may read the orders in full, neither the table (EXPLAIN type ALL) nor a whole index
 * (type index), and each runs under the report time limit. Runs only with TEST_MYSQL_URL.
 */
const ORDERS = 40_000;
const maybe = process.env.TEST_MYSQL_URL ? describe : describe.skip;

interface Captured {
  sql: string;
  params: unknown[];
}

interface ExplainRow {
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
}

maybe('EXPLAIN of every dashboard query on MariaDB', () => {
  let t: TestApp;
  let dataSource: DataSource;
  const captured: Captured[] = [];

  beforeAll(async () => {
    t = await startTestApp('mysql');
    const d = await new WorkOrderDriver(t).load();
    dataSource = t.app.get(DataSource);
    const template = await d.register('agent1');
    await bulkCopy(dataSource, template.id, ORDERS);
    const query = dataSource.manager.query.bind(dataSource.manager);
    jest.spyOn(dataSource.manager, 'query').mockImplementation(async (sql, params) => {
      captured.push({ sql, params: Array.isArray(params) ? (params as unknown[]) : [] });
      return query(sql, params);
    });
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
      const plan: ExplainRow[] = await dataSource.query(`EXPLAIN ${statement.sql.replace(/^\s*SET STATEMENT [^ ]+ FOR /i, '')}`, statement.params);
      const scans = plan.filter((row) => (row.type === 'ALL' || row.type === 'index') && row.table === 'wo');
      if (scans.length > 0) throw new Error(`${user}:\n${statement.sql}\n${JSON.stringify(plan, null, 1)}`);
    }
  });
});

/** Copies the template order `count` times: two years of registrations, most closed, lead units and statuses mixed. */
async function bulkCopy(dataSource: DataSource, templateId: number, count: number): Promise<void> {
  const units: { id: number }[] = await dataSource.query("SELECT id FROM units WHERE type <> 'center' ORDER BY id");
  const categories: { id: number }[] = await dataSource.query('SELECT id FROM categories WHERE id NOT IN (SELECT parentId FROM categories WHERE parentId IS NOT NULL) ORDER BY id');
  const columns: { Field: string }[] = await dataSource.query('SHOW COLUMNS FROM work_orders');
  const unitList = units.map((u) => u.id).join(',');
  const categoryList = categories.map((c) => c.id).join(',');
  const overrides: Record<string, string> = {
    number: "CONCAT('2024', LPAD(n, 10, '0'))",
    createdAt: 'TIMESTAMPADD(MINUTE, -n * 26, UTC_TIMESTAMP(3))',
    updatedAt: 'TIMESTAMPADD(MINUTE, -n * 26 + 600, UTC_TIMESTAMP(3))',
    closedAt: "IF(n < 2000 OR n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 600, UTC_TIMESTAMP(3)))",
    status: "IF(n < 2000, ELT(1 + n % 8, 'registered', 'dispatched', 'processing', 'processing', 'reply_review', 'callback_pending', 'suspended', 'unit_review'), IF(n % 30 = 0, 'invalid', 'closed'))",
    leadUnitId: `IF(n % 30 = 0, NULL, ELT(1 + (n * 7) % ${units.length}, ${unitList}))`,
    categoryId: `ELT(1 + (n * 13) % ${categories.length}, ${categoryList})`,
    channel: "IF(n % 97 = 0, 'email', IF(n % 3 = 0, 'wechat', 'phone'))",
    requestType: "IF(n % 211 = 0, 'praise', 'complaint')",
    warningLevel: "IF(n < 2000 AND n % 7 = 0, 'red', IF(n < 2000 AND n % 5 = 0, 'yellow', 'none'))",
    replyDueAt: 'IF(n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + 7200, UTC_TIMESTAMP(3)))',
    deadlineCheckAt: 'NULL',
    version: '1',
  };
  const names = columns.map((c) => c.Field).filter((name) => name !== 'id');
  const select = names.map((name) => (overrides[name] ?? `t.\`${name}\``)).join(', ');
  const digit = '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
  for (let from = 1; from <= count; from += 10_000) {
    const to = Math.min(count, from + 9_999);
    await dataSource.query(
      `INSERT INTO work_orders (${names.map((n) => `\`${n}\``).join(', ')})
       SELECT ${select}
       FROM (SELECT ${from} + a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n FROM ${digit} a, ${digit} b, ${digit} c, ${digit} e) seq
       CROSS JOIN work_orders t WHERE t.id = ? AND seq.n <= ${to}`,
      [templateId],
    );
  }
  await dataSource.query('ANALYZE TABLE work_orders');
}

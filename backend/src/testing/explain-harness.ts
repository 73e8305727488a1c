import type { DataSource } from 'typeorm';

/**
 * The parts every EXPLAIN test on MariaDB shares (lists, dashboard, reports): fill work_orders with copies of one
 * template order so the optimizer chooses as it will in production, capture the statements a request sends, and
 * EXPLAIN them as sent (without the `SET STATEMENT max_statement_time=… FOR` prefix).
 */
export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

/** The columns of MariaDB's EXPLAIN these tests read. */
export interface ExplainRow {
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

/** What the overrides of a copy may use: the non-center units and the leaf categories, as SQL lists for ELT(). */
export interface CopyContext {
  unitList: string;
  unitCount: number;
  categoryList: string;
  categoryCount: number;
}

/** SQL expressions of `n` (1…count) for work_orders columns; the columns not given are copied from the template. */
export type CopyOverrides = Record<string, string>;

const TIME_LIMIT_PREFIX = /^\s*SET STATEMENT [^ ]+ FOR /i;

/** Records every statement sent through `dataSource.manager.query` from now on (restore with jest.restoreAllMocks). */
export function captureStatements(dataSource: DataSource): CapturedStatement[] {
  const captured: CapturedStatement[] = [];
  const query = dataSource.manager.query.bind(dataSource.manager);
  jest.spyOn(dataSource.manager, 'query').mockImplementation(async (sql: string, params?: unknown) => {
    captured.push({ sql, params: Array.isArray(params) ? (params as unknown[]) : [] });
    return query(sql, params as unknown[] | undefined);
  });
  return captured;
}

/** MariaDB's plan of a captured statement. */
export async function explain(dataSource: DataSource, statement: CapturedStatement): Promise<ExplainRow[]> {
  return dataSource.query(`EXPLAIN ${statement.sql.replace(TIME_LIMIT_PREFIX, '')}`, statement.params);
}

/** Rows of a plan that read table `alias` in full (type ALL) or walk a whole index of it (type index). */
export function fullReads(plan: ExplainRow[], alias: string): ExplainRow[] {
  return plan.filter((row) => (row.type === 'ALL' || row.type === 'index') && row.table === alias);
}

/**
 * Copies the template order `count` times (n = 1…count, in batches of 10,000 built from a digits table), with the
 * given column expressions, then ANALYZEs the table.
 */
export async function copyOrders(dataSource: DataSource, templateId: number, count: number, overrides: (context: CopyContext) => CopyOverrides): Promise<CopyContext> {
  const units: { id: number }[] = await dataSource.query("SELECT id FROM units WHERE type <> 'center' ORDER BY id");
  const categories: { id: number }[] = await dataSource.query(
    'SELECT id FROM categories WHERE id NOT IN (SELECT parentId FROM categories WHERE parentId IS NOT NULL) ORDER BY id',
  );
  const context: CopyContext = {
    unitList: units.map((u) => u.id).join(','),
    unitCount: units.length,
    categoryList: categories.map((c) => c.id).join(','),
    categoryCount: categories.length,
  };
  const expressions = overrides(context);
  const columns: { Field: string }[] = await dataSource.query('SHOW COLUMNS FROM work_orders');
  const names = columns.map((c) => c.Field).filter((name) => name !== 'id');
  const select = names.map((name) => expressions[name] ?? `t.\`${name}\``).join(', ');
  const digit =
    '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
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
  return context;
}

/** The spread all three tests start from: two years of registrations (one every 26 minutes), lead units and channels mixed. */
export function baseSpread({ unitList, unitCount }: CopyContext): CopyOverrides {
  return {
    number: "CONCAT('2024', LPAD(n, 10, '0'))",
    createdAt: 'TIMESTAMPADD(MINUTE, -n * 26, UTC_TIMESTAMP(3))',
    updatedAt: 'TIMESTAMPADD(MINUTE, -n * 26 + 600, UTC_TIMESTAMP(3))',
    leadUnitId: `IF(n % 30 = 0, NULL, ELT(1 + (n * 7) % ${unitCount}, ${unitList}))`,
    channel: "IF(n % 97 = 0, 'email', IF(n % 3 = 0, 'wechat', 'phone'))",
    requestType: "IF(n % 211 = 0, 'praise', 'complaint')",
    deadlineCheckAt: 'NULL',
    version: '1',
  };
}

/** The open orders (n < 2000) in every open status, the rest closed or (one in thirty) invalid. */
export const MIXED_STATUSES =
  "IF(n < 2000, ELT(1 + n % 8, 'registered', 'dispatched', 'processing', 'processing', 'reply_review', 'callback_pending', 'suspended', 'unit_review'), IF(n % 30 = 0, 'invalid', 'closed'))";

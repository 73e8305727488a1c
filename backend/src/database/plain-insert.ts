import { format as formatSql, type SqlValue } from 'mysql2';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** The INSERT of one table that gives every column but the generated ones, made once. */
interface TableInsert {
  /** `INSERT INTO t (a, b) VALUES ` and `INSERT IGNORE INTO …` (`INSERT OR IGNORE` on SQLite). */
  head: string;
  ignoringHead: string;
  /** `(?, ?)`: one row's placeholders. */
  row: string;
  columns: ColumnMetadata[];
}

/**
 * INSERTs that give every column of their rows, with their SQL made once per table: on the hot paths (a registration,
 * recording an order in the repeat detector's index) building them with TypeORM's query builder costs more CPU than
 * the database takes to run them. The values go through the driver's preparePersistentValue, as the query builder would
 * send them (dates in the column's format, booleans, simple-json). One instance per DataSource (one engine).
 */
export class PlainInserts {
  private readonly tables = new Map<EntityTarget<ObjectLiteral>, TableInsert>();

  /**
   * The INSERT of `rows` (one statement, at least one row) and its parameters. `ignoreDuplicates`: rows whose key is
   * there already are left out (MySQL's INSERT IGNORE, SQLite's INSERT OR IGNORE). `sqlValues`: SQL expressions
   * (mysql2's raw) for some of the columns instead of the rows' values.
   */
  statement(
    manager: EntityManager,
    target: EntityTarget<ObjectLiteral>,
    rows: readonly object[],
    options: { ignoreDuplicates?: boolean; sqlValues?: Record<string, unknown> } = {},
  ): { sql: string; parameters: unknown[] } {
    if (rows.length === 0) throw new Error('An INSERT needs at least one row');
    const driver = manager.connection.driver;
    let table = this.tables.get(target);
    if (!table) {
      const metadata = manager.connection.getMetadata(target);
      const columns = metadata.columns.filter((column) => !column.isGenerated);
      const into = `INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
      const ignore = manager.connection.options.type === 'better-sqlite3' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
      table = { head: `INSERT ${into}`, ignoringHead: `${ignore} ${into}`, row: `(${columns.map(() => '?').join(', ')})`, columns };
      this.tables.set(target, table);
    }
    const sqlValues = options.sqlValues ?? {};
    const parameters: unknown[] = [];
    for (const row of rows) {
      const values = row as Record<string, unknown>;
      for (const column of table.columns) {
        parameters.push(column.propertyName in sqlValues ? sqlValues[column.propertyName] : driver.preparePersistentValue(values[column.propertyName] ?? null, column));
      }
    }
    const head = options.ignoreDuplicates ? table.ignoringHead : table.head;
    return { sql: `${head}${Array.from({ length: rows.length }, () => table.row).join(', ')}`, parameters };
  }
}

/**
 * MySQL/MariaDB: a statement with its parameters written in, escaped as mysql2 escapes any query it sends (dates in
 * the connection's time zone) — how a stored procedure takes a statement it runs with PREPARE (`register_work_order`
 * the order's INSERT, `record_matter` the index rows' INSERTs and the glance), so that the procedure never restates a
 * table's columns.
 */
export function statementText(manager: EntityManager, statement: { sql: string; parameters: readonly unknown[] }): string {
  const timezone = (manager.connection.options as { timezone?: string }).timezone ?? 'local';
  return formatSql(statement.sql, statement.parameters as SqlValue[], false, timezone);
}

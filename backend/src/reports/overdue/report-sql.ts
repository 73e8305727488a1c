import type { DataSource } from 'typeorm';
import { dateFromRow } from '../../database/columns';
import { isStatementTimeout, markStatementTimeout } from '../../database/database-errors';
import { statementTimeoutEngine, withStatementTimeoutSql } from '../../database/statement-timeout';
import type { ReportScope } from '../report-scope';

/** One report statement: SQL with `:named` parameters (`:...list` for IN lists) and their values. */
export interface ReportStatement {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Runs one report SELECT under the report statement time limit (REPORT_QUERY_TIMEOUT_MS): a statement that would take
 * longer is stopped by the server and answered 503 (the exception filter knows the marked error). Shared by the
 * repositories of the overdue, shirking, repeats and volume reports.
 */
export async function runReportStatement<T>(dataSource: DataSource, limitMs: number, statement: ReportStatement): Promise<T[]> {
  const params = Object.fromEntries(Object.entries(statement.params).filter(([, value]) => value !== null && value !== undefined));
  const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(statement.sql, params);
  const limited = withStatementTimeoutSql(sql, await statementTimeoutEngine(dataSource), limitMs);
  try {
    return await dataSource.manager.query<T[]>(limited, parameters);
  } catch (error) {
    if (isStatementTimeout(error)) markStatementTimeout(error, limitMs);
    throw error;
  }
}

/**
 * The condition that keeps a statement to the scope's units, on `column` (e.g. `wo.leadUnitId`), with the parameter
 * `:scopeUnits`; none for the whole center. An empty subtree matches nothing.
 */
export function scopeCondition(column: string, scope: ReportScope): string[] {
  if (scope.unitIds === null) return [];
  return [scope.unitIds.length > 0 ? `${column} IN (:...scopeUnits)` : '1 = 0'];
}

/** The parameters scopeCondition needs. */
export function scopeParams(scope: ReportScope): Record<string, unknown> {
  return scope.unitIds === null || scope.unitIds.length === 0 ? {} : { scopeUnits: scope.unitIds };
}

/** A DATETIME of a raw row: a Date from mysql2, UTC text ('YYYY-MM-DD HH:MM:SS.SSS') from SQLite. */
export function rowDate(value: Date | string): Date;
export function rowDate(value: Date | string | null): Date | null;
export function rowDate(value: Date | string | null): Date | null {
  return value === null ? null : dateFromRow(value);
}

/** A boolean of a raw row: 0/1 from both engines (true/false from some drivers). */
export function rowBoolean(value: number | string | boolean | null): boolean {
  return value === true || value === 1 || value === '1';
}

/** A count of a raw row (mysql2 answers COUNT(*) as text or bigint). */
export function rowNumber(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** One decimal, as the reports print working days. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

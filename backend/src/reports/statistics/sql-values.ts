import type { DataSource, EntityManager } from 'typeorm';
import { dateFromRow } from '../../database/columns';

/** Either the data source or a transaction's manager: both run raw SQL the same way. */
export type SqlRunner = Pick<DataSource, 'query' | 'driver'> | Pick<EntityManager, 'query' | 'connection'>;

function driverOf(runner: SqlRunner): DataSource['driver'] {
  return 'driver' in runner ? runner.driver : runner.connection.driver;
}

export function isMysql(runner: SqlRunner): boolean {
  const type = driverOf(runner).options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * Makes a statement read one index: `FORCE INDEX (…)` on MySQL/MariaDB, `INDEXED BY …` on SQLite. For a time range
 * grouped by unit the optimizer may otherwise walk a (unitId, time) index over the whole table to save the sort.
 */
export function useIndex(runner: SqlRunner, index: string): string {
  return isMysql(runner) ? `FORCE INDEX (${index})` : `INDEXED BY ${index}`;
}

/** Runs a statement with `:named` parameters (`:...list` for IN lists); dates are bound as each engine stores them. */
export async function runSql<T>(runner: SqlRunner, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [query, values] = driverOf(runner).escapeQueryWithParameters(sql, params);
  const rows: T[] = await runner.query(query, values);
  return rows;
}

/** A DATETIME(3) as read by raw SQL: a Date on MySQL (UTC connection), 'YYYY-MM-DD HH:MM:SS.SSS' UTC text on SQLite. */
export function sqlDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value !== 'string') throw new Error(`not a DATETIME value: ${typeof value}`);
  // One reader of stored times for the whole backend: text without a zone is UTC, with or without the 'T'.
  return dateFromRow(value);
}

/** COUNT/SUM results: numbers on SQLite, strings (DECIMAL, BIGINT) on MySQL; NULL (SUM of nothing) is 0. */
export function sqlNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A BOOLEAN read raw: 0/1 on both engines (null stays null). */
export function sqlBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  return value === true || Number(value) === 1;
}

/** Identifier quoting of the engine. */
export function quoteName(runner: SqlRunner, name: string): string {
  return isMysql(runner) ? `\`${name}\`` : `"${name}"`;
}

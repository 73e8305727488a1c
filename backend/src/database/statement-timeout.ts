import type { DataSource, EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { isStatementTimeout, markStatementTimeout } from './database-errors';

/**
 * Statement time limits for list and report queries (issue 8), so that one slow query cannot hold a connection and
 * the CPU of the database server while intake waits. The server stops the statement when the limit is reached; the
 * error it raises is answered 503 with Retry-After by the exception filter (database-errors.ts isStatementTimeout).
 *
 * - MariaDB: `SET STATEMENT max_statement_time=<seconds> FOR <statement>` (fractional seconds), or the session
 *   variable `max_statement_time`; errno 1969 ER_STATEMENT_TIMEOUT.
 * - MySQL 8: the optimizer hint `SELECT /*+ MAX_EXECUTION_TIME(<ms>) *\/ …` (after the first SELECT; it covers the
 *   whole statement, unions and subqueries included), or the session variable `max_execution_time` (read-only
 *   SELECTs); errno 3024 ER_QUERY_TIMEOUT. MariaDB parses the hint as a comment and ignores it, which is why
 *   TypeORM's `qb.maxExecutionTime(ms)` (that very hint, and dropped entirely from a `SELECT DISTINCT`) is no limit
 *   on MariaDB and must not be used for this.
 * - SQLite: no limit. better-sqlite3 exposes neither sqlite3_interrupt nor a progress handler, and it runs a
 *   statement synchronously on the event loop, so nothing can stop it from outside; SQLite is the single-site
 *   engine (README, "Database"), where the data stays small enough for this not to matter.
 *
 * Two ways to use it:
 * - `withStatementTimeoutSql(sql, engine, limitMs)` rewrites the text of one SELECT; `queryWithStatementTimeout`
 *   runs a query builder's SQL that way and returns the raw rows (the caller maps them);
 * - `runWithStatementTimeout(dataSource, limitMs, (manager) => …)` runs reads, entity-returning ones included
 *   (`getMany`, `getManyAndCount`), on one connection whose session limit is set for the duration.
 * Either way a statement timeout reaches the caller as TypeORM's QueryFailedError, marked with the limit so the
 * answer can say it.
 */
export type StatementTimeoutEngine = 'mariadb' | 'mysql' | 'sqlite';

/** The text of a SELECT with the engine's limit; the text unchanged for SQLite or when the limit is 0 (off). */
export function withStatementTimeoutSql(sql: string, engine: StatementTimeoutEngine, limitMs: number): string {
  assertLimit(limitMs);
  const select = /^(\s*\(?\s*)select\b/i.exec(sql);
  if (!select) throw new Error(`A statement time limit wraps a SELECT, not: ${sql.trim().slice(0, 60)}`);
  if (limitMs === 0 || engine === 'sqlite') return sql;
  if (engine === 'mariadb') return `SET STATEMENT max_statement_time=${mariadbSeconds(limitMs)} FOR ${sql}`;
  const at = select[0].length;
  return `${sql.slice(0, at)} /*+ MAX_EXECUTION_TIME(${Math.ceil(limitMs)}) */${sql.slice(at)}`;
}

/**
 * Runs a query builder's SELECT with the limit and returns its raw rows (`getRawMany` shape: aliased columns such
 * as `order_id`). On the builder's own query runner when it has one (inside a transaction), else on the pool.
 */
export async function queryWithStatementTimeout<T extends ObjectLiteral = ObjectLiteral>(qb: SelectQueryBuilder<ObjectLiteral>, limitMs: number): Promise<T[]> {
  const dataSource = qb.dataSource;
  const engine = await statementTimeoutEngine(dataSource);
  const [sql, parameters] = qb.getQueryAndParameters();
  const runner = (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
  try {
    return (await (runner ?? dataSource).query(withStatementTimeoutSql(sql, engine, limitMs), parameters)) as T[];
  } catch (error) {
    throw marked(error, limitMs);
  }
}

/**
 * Runs `work` on one connection whose statements are limited to `limitMs` each (MariaDB `max_statement_time`,
 * MySQL `max_execution_time`), and sets the session back to the server's default afterwards. Only reads belong in `work`: on
 * MariaDB the limit applies to every statement of the session, writes included. With `manager` inside a
 * transaction, its connection is used (the limit is lifted again before the transaction goes on).
 * SQLite or a limit of 0: `work` runs as it is.
 */
export async function runWithStatementTimeout<T>(dataSource: DataSource, limitMs: number, work: (manager: EntityManager) => Promise<T>, manager?: EntityManager): Promise<T> {
  assertLimit(limitMs);
  const engine = await statementTimeoutEngine(dataSource);
  if (limitMs === 0 || engine === 'sqlite') return work(manager ?? dataSource.manager);
  const own = manager?.queryRunner ? null : dataSource.createQueryRunner('slave');
  const runner = manager?.queryRunner ?? own!;
  const variable = engine === 'mariadb' ? 'max_statement_time' : 'max_execution_time';
  const value = engine === 'mariadb' ? mariadbSeconds(limitMs) : String(Math.ceil(limitMs));
  try {
    await runner.query(`SET SESSION ${variable} = ${value}`);
    try {
      return await work(runner.manager);
    } catch (error) {
      throw marked(error, limitMs);
    } finally {
      // Always lifted again (to the server's global value, what every pooled connection starts with): the
      // connection goes back to the pool, or on with the transaction, without the limit.
      await runner.query(`SET SESSION ${variable} = DEFAULT`);
    }
  } finally {
    await own?.release();
  }
}

/** 'mariadb', 'mysql' or 'sqlite' for a data source; a MySQL-protocol server is asked once (SELECT VERSION()). */
export async function statementTimeoutEngine(dataSource: DataSource): Promise<StatementTimeoutEngine> {
  const type = dataSource.options.type;
  if (type === 'better-sqlite3') return 'sqlite';
  if (type === 'mariadb') return 'mariadb';
  if (type !== 'mysql') throw new Error(`No statement time limit for the ${type} driver`);
  let known = detected.get(dataSource);
  if (!known) {
    // The app's data source is configured as 'mariadb' after detectMysqlFlavour; a bare 'mysql' may still be either.
    known = dataSource.query<{ version: string }[]>('SELECT VERSION() AS version').then(([row]) => (/mariadb/i.test(String(row.version)) ? 'mariadb' : 'mysql'));
    detected.set(dataSource, known);
    known.catch(() => detected.delete(dataSource));
  }
  return known;
}

const detected = new WeakMap<DataSource, Promise<'mariadb' | 'mysql'>>();

/** MariaDB takes seconds with up to microseconds; 100 ms → 0.1, 5000 ms → 5. */
function mariadbSeconds(limitMs: number): string {
  return String(Math.round(limitMs * 1000) / 1_000_000);
}

function assertLimit(limitMs: number): void {
  if (!Number.isFinite(limitMs) || limitMs < 0) throw new Error(`A statement time limit is a number of milliseconds ≥ 0 (0: off), not ${limitMs}`);
}

function marked(error: unknown, limitMs: number): unknown {
  if (isStatementTimeout(error)) markStatementTimeout(error, limitMs);
  return error;
}

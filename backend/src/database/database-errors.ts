import { QueryFailedError } from 'typeorm';

/** What the driver (mysql2, better-sqlite3) says about a failed statement. */
interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
}

/**
 * The driver's error of a failed statement: a QueryFailedError's `driverError` (also when pino has serialized it to a
 * plain object), or the error itself — TypeORM hands its logger the driver's own error. Undefined for a non-object.
 */
export function driverErrorOf(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const wrapped = (error as { driverError?: unknown }).driverError;
  return typeof wrapped === 'object' && wrapped !== null ? wrapped : error;
}

/** InnoDB aborts one transaction of a deadlock (1213) or gives up waiting for a lock (1205); either may simply be run again. */
const RETRYABLE_LOCK_ERRNOS = new Set([1213, 1205]);

/** A unique index or primary key refused the row (MySQL/MariaDB and SQLite codes). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && isUniqueViolationOfDriver(error.driverError as DriverError | undefined);
}

function isUniqueViolationOfDriver(driverError: DriverError | undefined): boolean {
  const code = driverError?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Whether the error is a lock failure after which InnoDB rolled the transaction back (1213) or the statement (1205). */
export function isRetryableLockError(error: unknown): boolean {
  return error instanceof QueryFailedError && isRetryableLockErrorOfDriver(error.driverError as DriverError | undefined);
}

function isRetryableLockErrorOfDriver(driverError: DriverError | undefined): boolean {
  return typeof driverError?.errno === 'number' && RETRYABLE_LOCK_ERRNOS.has(driverError.errno);
}

/**
 * A failure the application answers or retries itself — a lock error (run again by TransactionService), a unique
 * violation (409), a statement time limit (503) — whether given as TypeORM's QueryFailedError or as the driver's own
 * error (what TypeORM hands its logger).
 */
export function isHandledStatementFailure(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  if (!driverError) return false;
  return isUniqueViolationOfDriver(driverError) || isRetryableLockErrorOfDriver(driverError) || isStatementTimeoutOfDriver(driverError);
}

/** MariaDB ER_STATEMENT_TIMEOUT (max_statement_time exceeded) and MySQL ER_QUERY_TIMEOUT (max_execution_time). */
const STATEMENT_TIMEOUT_ERRNOS = new Set([1969, 3024]);
const STATEMENT_TIMEOUT_LIMIT = Symbol('statementTimeoutMs');

/** The server stopped the statement at its time limit (statement-timeout.ts); answered 503 with Retry-After. */
export function isStatementTimeout(error: unknown): error is QueryFailedError {
  return error instanceof QueryFailedError && isStatementTimeoutOfDriver(error.driverError as DriverError | undefined);
}

function isStatementTimeoutOfDriver(driverError: DriverError | undefined): boolean {
  return (
    (typeof driverError?.errno === 'number' && STATEMENT_TIMEOUT_ERRNOS.has(driverError.errno)) ||
    driverError?.code === 'ER_STATEMENT_TIMEOUT' ||
    driverError?.code === 'ER_QUERY_TIMEOUT'
  );
}

/** Records on the error the limit it was stopped at, where the statement's text does not say it (session limits). */
export function markStatementTimeout(error: QueryFailedError, limitMs: number): void {
  (error as QueryFailedError & { [STATEMENT_TIMEOUT_LIMIT]?: number })[STATEMENT_TIMEOUT_LIMIT] = limitMs;
}

/** The limit a timed-out statement ran into, in milliseconds: as marked, or read from its text; null if unknown. */
export function statementTimeoutLimitMs(error: QueryFailedError): number | null {
  const marked = (error as QueryFailedError & { [STATEMENT_TIMEOUT_LIMIT]?: number })[STATEMENT_TIMEOUT_LIMIT];
  if (typeof marked === 'number') return marked;
  const query = typeof error.query === 'string' ? error.query : '';
  const mariadb = /max_statement_time\s*=\s*(\d+(?:\.\d+)?)/i.exec(query);
  if (mariadb) return Math.round(Number(mariadb[1]) * 1000);
  const mysql = /MAX_EXECUTION_TIME\s*\(\s*(\d+)\s*\)/i.exec(query);
  return mysql ? Number(mysql[1]) : null;
}

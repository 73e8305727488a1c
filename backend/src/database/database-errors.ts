import { QueryFailedError } from 'typeorm';

/** A unique index or primary key refused the row (MySQL/MariaDB and SQLite codes). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** MariaDB ER_STATEMENT_TIMEOUT (max_statement_time exceeded) and MySQL ER_QUERY_TIMEOUT (max_execution_time). */
const STATEMENT_TIMEOUT_ERRNOS = new Set([1969, 3024]);
const STATEMENT_TIMEOUT_LIMIT = Symbol('statementTimeoutMs');

/** The server stopped the statement at its time limit (statement-timeout.ts); answered 503 with Retry-After. */
export function isStatementTimeout(error: unknown): error is QueryFailedError {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { errno?: unknown; code?: unknown } | undefined;
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

import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { driverErrorOf, isHandledStatementFailure } from './database-errors';

/** A statement's text in a log line at most this long (a multi-row INSERT runs to many KB). */
const STATEMENT_TEXT_LIMIT = 500;

/**
 * Where TypeORM reports statements and their failures: the application's log (JSON lines through pino, like every
 * other line), never the console. **A statement's parameters are never logged** — they are citizens' names, phone
 * numbers, addresses and complaints, and password hashes — nor the values a driver's message quotes (MariaDB's
 * "Duplicate entry '138…' for key …"); a line names the statement's text, its error code and how many parameters it had.
 *
 * A failed statement that the application handles is logged at debug only: a lock error (deadlock 1213, lock wait
 * 1205) is run again by TransactionService (which warns when it gives up), a unique violation becomes a 409, a
 * statement time limit a 503 (logged by the exception filter). Any other failure is logged as an error — the request's
 * 500 or the background job's own line says where it came from. DATABASE_LOG_QUERIES=true logs every statement at debug.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  constructor(private readonly logQueries: boolean) {}

  logQuery(query: string, parameters?: unknown[] | object): void {
    if (this.logQueries) this.logger.debug(`statement: ${statementText(query)}${parameterNote(parameters)}`);
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const line = `statement failed (${describeDatabaseError(error)}): ${statementText(query)}${parameterNote(parameters)}`;
    if (isHandledStatementFailure(error)) this.logger.debug(line);
    else this.logger.error(line);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.logger.warn(`slow statement (${time} ms): ${statementText(query)}${parameterNote(parameters)}`);
  }

  // TypeORM's notes on the schema, the migrations it runs and the like: with DATABASE_LOG_QUERIES only (at debug), as
  // before; its warnings always.
  logSchemaBuild(message: string): void {
    if (this.logQueries) this.logger.debug(message);
  }

  logMigration(message: string): void {
    if (this.logQueries) this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else if (this.logQueries) this.logger.debug(String(message));
  }
}

/** The statement's text (placeholders, never values), on one line and cut at STATEMENT_TEXT_LIMIT characters. */
export function statementText(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > STATEMENT_TEXT_LIMIT ? `${oneLine.slice(0, STATEMENT_TEXT_LIMIT)}… (${oneLine.length} characters)` : oneLine;
}

function parameterNote(parameters: unknown[] | object | undefined): string {
  const count = Array.isArray(parameters) ? parameters.length : parameters ? Object.keys(parameters).length : 0;
  return count > 0 ? ` [${count} parameter(s), not logged]` : '';
}

/**
 * The driver's code and message, with the values it quotes left out: MariaDB names the refused value in "Duplicate
 * entry '…' for key", "Incorrect string value: '…'", "Incorrect datetime value: '…'" and the like (column and key names,
 * also quoted, stay).
 */
export function describeDatabaseError(error: unknown): string {
  const driverError = driverErrorOf(error);
  const code = typeof driverError?.code === 'string' ? driverError.code : null;
  const errno = typeof driverError?.errno === 'number' ? driverError.errno : null;
  const message = typeof driverError?.message === 'string' ? driverError.message : error instanceof Error ? error.message : String(error);
  const codes = [code, errno === null ? null : String(errno)].filter((part) => part !== null).join(' ');
  return `${codes ? `${codes}: ` : ''}${withoutQuotedValues(message)}`;
}

/** Replaces the value a MariaDB/MySQL error message quotes after "entry" or "value" with '…'. */
export function withoutQuotedValues(message: string): string {
  return message.replace(/\b(entry|value:?)\s+'(?:[^'\\]|\\.)*'/gi, "$1 '…'");
}

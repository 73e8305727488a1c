import { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { DateUtils } from 'typeorm/util/DateUtils';

/**
 * How the one SQLite connection is set up (docs/benchmarks.md, "SQLite memory"; issue 8).
 *
 * TypeORM's SQLite drivers write every number parameter of a query builder into the SQL text as a literal
 * (`WHERE "id" = 42`, `VALUES (NULL, 1234, ?, …)`), so nearly every statement is a text never seen before: its
 * better-sqlite3 driver keeps prepared statements in a cache keyed by the text (100, first in first out), and with
 * texts that never repeat every query is prepared anew and pushes an older statement out. Each prepared statement
 * holds native SQLite memory that V8 does not see: it is freed only when a major garbage collection finalises the
 * evicted Statement object, and what glibc got back stays in the process. Measured: ~31–55 % of all statements
 * prepared during a registration load, RSS 160 MB → 330–1200 MB that never came back.
 *
 * The fix binds numbers as parameters instead. better-sqlite3 binds a JavaScript number as a REAL; a literal `42`
 * is an INTEGER, and TEXT columns compare and store the two differently ("42" vs "42.0"). So whole numbers are bound
 * as BigInt (better-sqlite3 binds a BigInt as a 64-bit INTEGER, exactly what the literal was); other finite numbers
 * as REAL, as their literal was. Everything else is what TypeORM does (AbstractSqliteDriver.escapeQueryWithParameters,
 * TypeORM 1.1.1). Results are unaffected: safe integers are read back as numbers (defaultSafeIntegers stays off).
 */
export function bindSqliteNumbersAsParameters(): void {
  const prototype = BetterSqlite3Driver.prototype as BetterSqlite3Driver & { [PATCHED]?: true };
  if (prototype[PATCHED]) return;
  prototype.escapeQueryWithParameters = function escapeQueryWithParameters(this: BetterSqlite3Driver, sql: string, parameters: Record<string, unknown>): [string, unknown[]] {
    const escaped: unknown[] = [];
    if (!parameters || Object.keys(parameters).length === 0) return [sql, escaped];
    const bind = (key: string, value: unknown) => {
      escaped.push(value);
      return this.createParameter(key, escaped.length - 1);
    };
    const text = sql.replaceAll(/:(\.\.\.)?([A-Za-z0-9_.]+)/g, (full, spread: string | undefined, key: string) => {
      if (!Object.prototype.hasOwnProperty.call(parameters, key)) return full;
      const value = parameters[key];
      if (spread) return (value as unknown[]).map((item) => bind(key, item)).join(', ');
      if (typeof value === 'function') return (value as () => string)();
      if (typeof value === 'number') {
        if (Number.isSafeInteger(value)) return bind(key, BigInt(value));
        // NaN and the infinities stay literals, as before (SQLite reads them as column names or errors).
        return Number.isFinite(value) ? bind(key, value) : String(value);
      }
      if (typeof value === 'boolean') return bind(key, +value);
      if (value instanceof Date) return bind(key, DateUtils.mixedDateToUtcDatetimeString(value));
      return bind(key, value);
    });
    return [text, escaped];
  };
  prototype[PATCHED] = true;
}

const PATCHED = Symbol.for('jiesu.sqliteNumbersBound');

/**
 * The statement cache of TypeORM's better-sqlite3 driver. With numbers bound (above), the whole application sends a
 * few hundred distinct statement texts; the cache holds them all, so a busy connection prepares nothing.
 */
export const SQLITE_STATEMENT_CACHE_SIZE = 1000;

/**
 * Pragmas set when the connection opens (TypeORM turns on foreign keys and WAL itself):
 * - cache_size: the page cache, bounded at 16 MB (better-sqlite3's own default, set here so it is visible);
 * - mmap_size 0: no memory-mapped reads, so the file's pages do not show up as the process's RSS;
 * - journal_size_limit: after a checkpoint the WAL file is truncated back to 32 MB instead of keeping its peak size;
 * - synchronous NORMAL: in WAL mode a commit does not wait for fsync, only a checkpoint does; a power cut can lose the
 *   last commits but never corrupts the file (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export const SQLITE_PRAGMAS = ['cache_size = -16000', 'mmap_size = 0', 'journal_size_limit = 33554432', 'synchronous = NORMAL'] as const;

export function applySqlitePragmas(database: { pragma: (source: string) => unknown }): void {
  for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
}

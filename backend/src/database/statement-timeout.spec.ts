import { QueryFailedError } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { isStatementTimeout, markStatementTimeout, statementTimeoutLimitMs } from './database-errors';
import { withStatementTimeoutSql } from './statement-timeout';

const SELECT = 'SELECT `o`.`id` AS `o_id` FROM `work_orders` `o` WHERE `o`.`status` = ? ORDER BY `o`.`createdAt` DESC LIMIT 50';

describe('withStatementTimeoutSql', () => {
  it('MariaDB: SET STATEMENT max_statement_time in (fractional) seconds FOR the select', () => {
    expect(withStatementTimeoutSql(SELECT, 'mariadb', 5000)).toBe(`SET STATEMENT max_statement_time=5 FOR ${SELECT}`);
    expect(withStatementTimeoutSql(SELECT, 'mariadb', 100)).toBe(`SET STATEMENT max_statement_time=0.1 FOR ${SELECT}`);
    expect(withStatementTimeoutSql(SELECT, 'mariadb', 1)).toBe(`SET STATEMENT max_statement_time=0.001 FOR ${SELECT}`);
  });

  it('MySQL: the MAX_EXECUTION_TIME hint right after the first SELECT, in milliseconds', () => {
    expect(withStatementTimeoutSql(SELECT, 'mysql', 5000)).toBe(SELECT.replace(/^SELECT/, 'SELECT /*+ MAX_EXECUTION_TIME(5000) */'));
    const union = '(SELECT id FROM a) UNION ALL (SELECT id FROM b)';
    expect(withStatementTimeoutSql(union, 'mysql', 250)).toBe('(SELECT /*+ MAX_EXECUTION_TIME(250) */ id FROM a) UNION ALL (SELECT id FROM b)');
    expect(withStatementTimeoutSql('  select 1', 'mysql', 10.2)).toBe('  select /*+ MAX_EXECUTION_TIME(11) */ 1');
  });

  it('SQLite and a limit of 0 leave the text as it is', () => {
    expect(withStatementTimeoutSql(SELECT, 'sqlite', 5000)).toBe(SELECT);
    expect(withStatementTimeoutSql(SELECT, 'mariadb', 0)).toBe(SELECT);
    expect(withStatementTimeoutSql(SELECT, 'mysql', 0)).toBe(SELECT);
  });

  it('refuses what is not a SELECT, and a limit that is not a number of milliseconds', () => {
    expect(() => withStatementTimeoutSql('UPDATE work_orders SET status = ?', 'mariadb', 100)).toThrow('wraps a SELECT, not: UPDATE work_orders');
    expect(() => withStatementTimeoutSql('SELECTION', 'mysql', 100)).toThrow('wraps a SELECT');
    expect(() => withStatementTimeoutSql(SELECT, 'mariadb', -1)).toThrow('milliseconds ≥ 0');
    expect(() => withStatementTimeoutSql(SELECT, 'mariadb', Number.NaN)).toThrow('milliseconds ≥ 0');
  });
});

describe('isStatementTimeout and statementTimeoutLimitMs', () => {
  const failed = (query: string, driverError: object) => new QueryFailedError(query, [], Object.assign(new Error('driver'), driverError));

  it('MariaDB 1969 and MySQL 3024 are statement timeouts; a deadlock or a duplicate is not', () => {
    expect(isStatementTimeout(failed('SELECT 1', { errno: 1969, code: 'ER_STATEMENT_TIMEOUT' }))).toBe(true);
    expect(isStatementTimeout(failed('SELECT 1', { errno: 3024, code: 'ER_QUERY_TIMEOUT' }))).toBe(true);
    expect(isStatementTimeout(failed('SELECT 1', { errno: 1213, code: 'ER_LOCK_DEADLOCK' }))).toBe(false);
    expect(isStatementTimeout(failed('INSERT', { errno: 1062, code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isStatementTimeout(Object.assign(new Error('x'), { errno: 1969 }))).toBe(false);
  });

  it('reads the limit from the statement text, or from the mark a session limit leaves', () => {
    expect(statementTimeoutLimitMs(failed(withStatementTimeoutSql(SELECT, 'mariadb', 2500), { errno: 1969 }))).toBe(2500);
    expect(statementTimeoutLimitMs(failed(withStatementTimeoutSql(SELECT, 'mysql', 750), { errno: 3024 }))).toBe(750);
    const session = failed(SELECT, { errno: 1969 });
    expect(statementTimeoutLimitMs(session)).toBeNull();
    markStatementTimeout(session, 5000);
    expect(statementTimeoutLimitMs(session)).toBe(5000);
  });
});

describe('LIST_QUERY_TIMEOUT_MS and REPORT_QUERY_TIMEOUT_MS', () => {
  it('default to 5 s and 30 s; 0 turns a limit off; a bad value stops start-up naming the variable', () => {
    expect(loadConfig({}).queryTimeouts).toEqual({ listMs: 5000, reportMs: 30000 });
    expect(loadConfig({ LIST_QUERY_TIMEOUT_MS: '0', REPORT_QUERY_TIMEOUT_MS: '120000' }).queryTimeouts).toEqual({ listMs: 0, reportMs: 120000 });
    expect(() => loadConfig({ LIST_QUERY_TIMEOUT_MS: '-5' })).toThrow('LIST_QUERY_TIMEOUT_MS: must be 0 (off) or more');
    expect(() => loadConfig({ REPORT_QUERY_TIMEOUT_MS: '1.5s' })).toThrow('REPORT_QUERY_TIMEOUT_MS: must be a number of milliseconds');
  });
});

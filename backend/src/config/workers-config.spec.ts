import { availableParallelism } from 'node:os';
import { ConfigValidationError, loadConfig } from './app-config';

const MYSQL = 'mysql://u@db:3306/jiesu';

describe('WORKERS', () => {
  it('defaults to one process on SQLite and one per CPU on MariaDB/MySQL', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(1);
    expect(loadConfig({ DATABASE_URL: MYSQL }).workers).toBe(Math.min(64, availableParallelism()));
    expect(loadConfig({ DATABASE_URL: MYSQL, WORKERS: 'auto' }).workers).toBe(Math.min(64, availableParallelism()));
  });

  it('takes a number from 1 to 64', () => {
    expect(loadConfig({ DATABASE_URL: MYSQL, WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ DATABASE_URL: MYSQL, WORKERS: '64' }).workers).toBe(64);
    expect(loadConfig({ WORKERS: '1' }).workers).toBe(1);
  });

  it.each(['0', '65', '-1', '1.5', 'two', 'AUTO', ' 2'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ DATABASE_URL: MYSQL, WORKERS: value })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ DATABASE_URL: MYSQL, WORKERS: value })).toThrow(/WORKERS: must be a whole number from 1 to 64, or auto/);
  });

  it('refuses several workers on SQLite, saying why and what to do', () => {
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS: 2 worker processes cannot share a SQLite database: SQLite has one writer at a time.*WORKERS=1.*MariaDB\/MySQL/s);
  });
});

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { DatabaseLogger } from './database-logger';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { applySqlitePragmas, bindSqliteNumbersAsParameters, SQLITE_STATEMENT_CACHE_SIZE } from './sqlite-connection';

/** One place that turns the validated database config into TypeORM options, for the app, the CLI and the tests. */
export function buildDataSourceOptions(database: AppConfig['database']): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // Into the application's log, without the statements' parameters (citizens' data): database-logger.ts.
    logger: new DatabaseLogger(database.logQueries),
  };
  if (database.engine === 'sqlite') {
    const path = database.sqlitePath ?? ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Statement texts that repeat, a cache that holds them, bounded caches: see sqlite-connection.ts.
    bindSqliteNumbersAsParameters();
    return {
      ...common,
      type: 'better-sqlite3',
      database: path,
      enableWAL: path !== ':memory:',
      timeout: 10_000,
      statementCacheSize: SQLITE_STATEMENT_CACHE_SIZE,
      prepareDatabase: applySqlitePragmas,
    };
  }
  return {
    ...common,
    type: database.mysqlFlavour ?? 'mysql',
    url: database.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    dateStrings: false,
    supportBigNumbers: true,
    // trace: mysql2 captures the caller's stack for every query by default, to put it on a failed query's error —
    // ≈ 3 % of a busy server's CPU (bench:intake profile); TypeORM's QueryFailedError carries its own stack.
    extra: { connectionLimit: 20, trace: false },
  };
}

/** Asks a MySQL-protocol server whether it is MariaDB, so TypeORM reads its catalog right. SQLite passes through. */
export async function detectMysqlFlavour(database: AppConfig['database']): Promise<AppConfig['database']> {
  if (database.engine !== 'mysql' || database.mysqlFlavour) return database;
  const connection = await createConnection({ uri: database.url, connectTimeout: 10_000 });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as { version: string }[])[0].version);
    return { ...database, mysqlFlavour: /mariadb/i.test(version) ? 'mariadb' : 'mysql' };
  } finally {
    await connection.end();
  }
}

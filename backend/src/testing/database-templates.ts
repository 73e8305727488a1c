import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { createApp } from '../app.factory';
import { loadConfig, type AppConfig } from '../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../database/cli/mysql-scratch';
import { DemoDataService } from '../demo-data/demo-data.service';
import { TEST_PASSWORD_HASH_ENV } from './test-password-hash';

/**
 * Template databases for the test apps. Migrating an empty database and seeding the demo organisation took about 1.5 s
 * for every MariaDB test app and 0.5 s for every SQLite one on an idle machine (some 160 app starts per run). The
 * jest global setup now does it once per run and engine, and each test app starts on a copy: the SQLite file copied,
 * the MariaDB database cloned table by table (≈ 0.15 s). The copies are what the migrations and the seed made in the
 * same run, so the schema under test is still the migrated one (database-templates.int-spec.ts compares a clone with
 * its template); starting from empty stays tested by the templates themselves, by migrations.int-spec.ts, by the demo
 * data suite and by the end-to-end suites' first starts.
 */
const SQLITE_TEMPLATE_ENV = 'JIESU_TEST_SQLITE_TEMPLATE';
const MYSQL_TEMPLATE_ENV = 'JIESU_TEST_MYSQL_TEMPLATE';

/** The configuration of a test app on `databaseUrl`, its files under `directory`; `env` overrides. */
export function testAppConfig(directory: string, databaseUrl: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ATTACHMENTS_DIR: join(directory, 'attachments'),
    REPORTS_DIR: join(directory, 'reports'),
    RECORDINGS_DIR: join(directory, 'recordings'),
    // The bulletin suites start the monthly job themselves (with a set clock).
    BULLETIN_SCHEDULE: 'off',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'never',
    CONSOLE_DIR: join(directory, 'no-console'),
    // The generated JWT secret lands in the app's own directory, never in the working tree.
    DATA_DIR: join(directory, 'data'),
    // The suites log in dozens of users and fire bursts: rate limits are tested on their own (throttling.int-spec.ts).
    RATE_LIMIT_LOGIN_PER_USERNAME: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_API_PER_USER: '1000000',
    // The suites register the driver's same order again and again: the repeat detector would mark them repeats and
    // hotspots (timeline events, versions). Its own suites switch it on.
    REPEAT_DETECTION: 'off',
    ...TEST_PASSWORD_HASH_ENV,
    ...env,
  });
}

async function migrateAndSeed(directory: string, databaseUrl: string): Promise<void> {
  const app = await createApp(testAppConfig(directory, databaseUrl));
  app.useLogger(false);
  await app.init();
  try {
    await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
  } finally {
    await app.close();
  }
}

/** Global setup: migrates and seeds one database per engine under test, and names them to the test workers. */
export async function prepareDatabaseTemplates(mysqlServer: string | null): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-test-template-'));
  const sqliteFile = join(directory, 'jiesu.sqlite');
  const building: Promise<void>[] = [migrateAndSeed(directory, `sqlite:${sqliteFile}`)];
  let mysqlTemplate: string | null = null;
  if (mysqlServer) {
    const scratch = await createScratchMysqlDatabase(mysqlServer, 'jiesu_test_template');
    mysqlTemplate = scratch.name;
    building.push(migrateAndSeed(mkdtempSync(join(directory, 'mysql-')), scratch.url));
  }
  await Promise.all(building);
  process.env[SQLITE_TEMPLATE_ENV] = sqliteFile;
  if (mysqlTemplate) process.env[MYSQL_TEMPLATE_ENV] = mysqlTemplate;
}

/** Global teardown: drops what prepareDatabaseTemplates made. */
export async function dropDatabaseTemplates(mysqlServer: string | null): Promise<void> {
  const sqliteFile = process.env[SQLITE_TEMPLATE_ENV];
  if (sqliteFile) rmSync(join(sqliteFile, '..'), { recursive: true, force: true });
  const mysqlTemplate = process.env[MYSQL_TEMPLATE_ENV];
  if (mysqlServer && mysqlTemplate) await dropMysqlDatabase(mysqlServer, mysqlTemplate);
}

/** The name of this run's MariaDB template database, if it has one. */
export function mysqlTemplateName(): string | null {
  return process.env[MYSQL_TEMPLATE_ENV] ?? null;
}

/** Copies the SQLite template to `file`; false when this run has none (a worker started without the global setup). */
export function copySqliteTemplate(file: string): boolean {
  const template = process.env[SQLITE_TEMPLATE_ENV];
  if (!template) return false;
  copyFileSync(template, file);
  return true;
}

/**
 * A new scratch database holding a copy of the MariaDB template: its tables (with their keys, foreign keys and
 * engines, Mroonga included), their rows and its stored procedures. Null when this run has no template.
 */
export async function cloneMysqlTemplate(mysqlServer: string, prefix: string): Promise<{ name: string; url: string } | null> {
  const template = process.env[MYSQL_TEMPLATE_ENV];
  if (!template) return null;
  const scratch = await createScratchMysqlDatabase(mysqlServer, prefix);
  const connection = await createConnection({ uri: mysqlServer, multipleStatements: true });
  try {
    const [[others]] = await connection.query<RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?)
            + (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?)
            + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS count`,
      [template, template, template],
    );
    if (Number(others.count) > 0) throw new Error(`The template database ${template} has views, triggers or events, which cloneMysqlTemplate does not copy yet`);
    const [tables] = await connection.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
      [template],
    );
    const creates: string[] = [];
    for (const { name } of tables) {
      const [[shown]] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${template}\`.\`${name}\``);
      creates.push(`${shown['Create Table'] as string};`);
    }
    // Generated columns cannot be copied into: only the stored ones are.
    const [columns] = await connection.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND IS_GENERATED = 'NEVER' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [template],
    );
    const columnsOf = new Map<string, string[]>();
    for (const { tableName, columnName } of columns) {
      const list = columnsOf.get(tableName as string) ?? [];
      list.push(`\`${columnName as string}\``);
      columnsOf.set(tableName as string, list);
    }
    const copies = [...columnsOf].map(
      ([table, names]) => `INSERT INTO \`${table}\` (${names.join(', ')}) SELECT ${names.join(', ')} FROM \`${template}\`.\`${table}\`;`,
    );
    await connection.query(`USE \`${scratch.name}\`; SET FOREIGN_KEY_CHECKS = 0; ${creates.join(' ')} ${copies.join(' ')} SET FOREIGN_KEY_CHECKS = 1;`);
    const [routines] = await connection.query<RowDataPacket[]>(
      `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`,
      [template],
    );
    for (const { name, type } of routines) {
      const kind = type === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
      const [[shown]] = await connection.query<RowDataPacket[]>(`SHOW CREATE ${kind} \`${template}\`.\`${name}\``);
      // The routine's own sql_mode, as the migration created it; its body is one statement to the server.
      await connection.query('SET SESSION sql_mode = ?', [shown.sql_mode]);
      await connection.query(shown[`Create ${kind === 'FUNCTION' ? 'Function' : 'Procedure'}`] as string);
    }
  } catch (error) {
    await dropMysqlDatabase(mysqlServer, scratch.name);
    throw error;
  } finally {
    await connection.end();
  }
  return scratch;
}

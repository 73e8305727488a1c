import { Logger, type LoggerService } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryFailedError, type QueryRunner } from 'typeorm';
import { enginesUnderTest, type Engine } from '../testing/test-app';
import { createScratchMysqlDatabase, dropMysqlDatabase } from './cli/mysql-scratch';
import { buildDataSourceOptions, detectMysqlFlavour } from './data-source-options';

interface LoggedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context: string | undefined;
}

/** The application's log as Nest's Logger receives it (pino behind it in the app). */
class CapturingLogger implements LoggerService {
  readonly lines: LoggedLine[] = [];
  log = (message: unknown, context?: string) => this.push('log', message, context);
  error = (message: unknown, ...rest: unknown[]) => this.push('error', message, rest.at(-1) as string | undefined);
  warn = (message: unknown, context?: string) => this.push('warn', message, context);
  debug = (message: unknown, context?: string) => this.push('debug', message, context);
  verbose = (message: unknown, context?: string) => this.push('verbose', message, context);
  fatal = (message: unknown, context?: string) => this.push('fatal', message, context);

  private push(level: LoggedLine['level'], message: unknown, context: string | undefined): void {
    this.lines.push({ level, message: String(message), context });
  }
}

/** A caller's phone number and an address: what a statement's parameters hold, and what must never reach a log. */
const PHONE = '13912345678';
const ADDRESS = '幸福小区3号楼2单元501室';

describe.each(enginesUnderTest())('database statements in the log (%s)', (engine: Engine) => {
  let dataSource: DataSource;
  let directory: string;
  let scratch: { name: string; url: string } | null = null;
  const captured = new CapturingLogger();
  /** Whatever reaches the console or the process's output directly (TypeORM's own console logger wrote there). */
  const direct: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-db-log-'));
    const database =
      engine === 'mysql'
        ? await (async () => {
            scratch = await createScratchMysqlDatabase(process.env.TEST_MYSQL_URL!, 'jiesu_db_log');
            return detectMysqlFlavour({ engine: 'mysql', url: scratch.url, sqlitePath: null, logQueries: false });
          })()
        : { engine: 'sqlite' as const, url: 'sqlite', sqlitePath: join(directory, 'log.sqlite'), logQueries: false };
    dataSource = await new DataSource(buildDataSourceOptions(database)).initialize();
    await dataSource.query('CREATE TABLE callers (id INTEGER PRIMARY KEY, phone VARCHAR(32) NOT NULL UNIQUE, address VARCHAR(200) NOT NULL)');
    await dataSource.query('INSERT INTO callers (id, phone, address) VALUES (1, ?, ?), (2, ?, ?)', [PHONE, ADDRESS, '13800000000', '别处']);
    Logger.overrideLogger(captured);
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void direct.push(args.map(String).join(' '))));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
          direct.push(String(chunk));
          return write(chunk as string, ...rest);
        }) as typeof stream.write),
      );
    }
  });

  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    Logger.overrideLogger(new Logger());
    await dataSource?.destroy();
    if (scratch) await dropMysqlDatabase(process.env.TEST_MYSQL_URL!, scratch.name);
    rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(() => {
    captured.lines.length = 0;
    direct.length = 0;
  });

  /** The lines of the statement failures, none of them holding a parameter's value; nothing on the console. */
  function failureLines(): LoggedLine[] {
    const all = JSON.stringify({ captured: captured.lines, direct });
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain(ADDRESS);
    expect(all).not.toContain('PARAMETERS');
    expect(direct).toEqual([]);
    return captured.lines.filter((line) => line.message.startsWith('statement failed'));
  }

  it('a unique violation (answered 409 by the services) is logged at debug: the statement and its code, not the values', async () => {
    await expect(dataSource.query('INSERT INTO callers (id, phone, address) VALUES (?, ?, ?)', [3, PHONE, ADDRESS])).rejects.toBeInstanceOf(QueryFailedError);
    const [line, ...more] = failureLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'debug', context: 'Database' });
    expect(line.message).toContain('INSERT INTO callers (id, phone, address) VALUES (?, ?, ?) [3 parameter(s), not logged]');
    expect(line.message).toMatch(engine === 'mysql' ? /ER_DUP_ENTRY 1062: Duplicate entry '…' for key/ : /SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: callers\.phone/);
  });

  it('any other failure is logged as an error, still without the values', async () => {
    await expect(dataSource.query('INSERT INTO callers (id, phone, address, missing) VALUES (?, ?, ?, ?)', [4, PHONE, ADDRESS, PHONE])).rejects.toBeInstanceOf(QueryFailedError);
    const [line, ...more] = failureLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'error', context: 'Database' });
    expect(line.message).toContain('INSERT INTO callers (id, phone, address, missing) VALUES (?, ?, ?, ?) [4 parameter(s), not logged]');
  });

  it('a long statement is cut in the log', async () => {
    const values = Array.from({ length: 200 }, (_, i) => `(${10 + i}, ?, ?)`).join(', ');
    await expect(dataSource.query(`INSERT INTO callers (id, phone, address) VALUES ${values}`, Array.from({ length: 200 }, () => [PHONE, ADDRESS]).flat())).rejects.toBeInstanceOf(QueryFailedError);
    const [line] = failureLines();
    expect(line.message).toMatch(/… \(\d{4} characters\) \[400 parameter\(s\), not logged\]$/);
    expect(line.message.length).toBeLessThan(800);
  });

  // A deadlock is InnoDB's (SQLite has one writer).
  if (engine === 'mysql') it('a deadlock InnoDB resolves (TransactionService runs the victim again) is logged at debug, without the values', async () => {
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    const connectionId = async (runner: QueryRunner) => {
      const [row] = (await runner.query('SELECT CONNECTION_ID() AS id')) as { id: number | string }[];
      return Number(row.id);
    };
    try {
      await first.startTransaction();
      await second.startTransaction();
      await first.query('SELECT id FROM callers WHERE id = 1 FOR UPDATE');
      await second.query('SELECT id FROM callers WHERE id = 2 FOR UPDATE');
      const firstId = await connectionId(first);
      // The first waits for row 2 (held by the second)…
      const firstWaits = first.query('UPDATE callers SET address = ? WHERE id = 2 AND phone <> ?', [ADDRESS, PHONE]).then(
        () => null,
        (error: unknown) => error,
      );
      for (;;) {
        const [state] = await dataSource.query<{ state: string }[]>('SELECT trx_state AS state FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = ?', [firstId]);
        if (state?.state === 'LOCK WAIT') break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // …and the second now asks for row 1: InnoDB rolls one of them back.
      const secondAsks = second.query('UPDATE callers SET address = ? WHERE id = 1 AND phone <> ?', [ADDRESS, PHONE]).then(
        () => null,
        (error: unknown) => error,
      );
      const errors = (await Promise.all([firstWaits, secondAsks])).filter((error) => error !== null);
      expect(errors).toHaveLength(1);
      expect(((errors[0] as QueryFailedError).driverError as unknown as { errno: number }).errno).toBe(1213);
    } finally {
      for (const runner of [first, second]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        await runner.release();
      }
    }
    const [line, ...more] = failureLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'debug', context: 'Database' });
    expect(line.message).toMatch(/^statement failed \(ER_LOCK_DEADLOCK 1213: Deadlock found.*\): UPDATE callers SET address = \? WHERE id = [12] AND phone <> \? \[2 parameter\(s\), not logged\]$/);
  });
});

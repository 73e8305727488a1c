import { Controller, Get, type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { DataSource, QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from '../common/all-exceptions.filter';
import { enginesUnderTest } from '../testing/test-app';
import { createScratchMysqlDatabase, dropMysqlDatabase } from './cli/mysql-scratch';
import { isStatementTimeout, statementTimeoutLimitMs } from './database-errors';
import { queryWithStatementTimeout, runWithStatementTimeout, statementTimeoutEngine } from './statement-timeout';

// The server must stop the statement itself: only a real MariaDB says whether it does (SQLite has no limit).
const onMysql = enginesUnderTest().includes('mysql') ? describe : describe.skip;

/** Catches what `promise` rejects with, and how long it took. */
async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the query to be stopped at its time limit, but it completed');
}

onMysql('statement time limits on a real MariaDB', () => {
  const server = process.env.TEST_MYSQL_URL!;
  let scratch: { name: string; url: string };
  let dataSource: DataSource;

  beforeAll(async () => {
    scratch = await createScratchMysqlDatabase(server, 'jiesu_sqlite_timeouts');
    // Configured as plain 'mysql', as before detectMysqlFlavour: the engine must then be found by asking the server.
    dataSource = await new DataSource({ type: 'mysql', url: scratch.url, extra: { connectionLimit: 1 } }).initialize();
    await dataSource.query('CREATE TABLE slow_rows (id INT PRIMARY KEY)');
    await dataSource.query('INSERT INTO slow_rows (id) VALUES (1)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (scratch) await dropMysqlDatabase(server, scratch.name);
  });

  const sleepingSelect = () => dataSource.createQueryBuilder().select('SLEEP(:seconds)', 'slept').from('slow_rows', 'r').setParameter('seconds', 2);

  it('knows the server is MariaDB from SELECT VERSION()', async () => {
    await expect(statementTimeoutEngine(dataSource)).resolves.toBe('mariadb');
  });

  it('a query builder SELECT run with a 100 ms limit is stopped by the server within a second (errno 1969)', async () => {
    const { error, ms } = await failure(queryWithStatementTimeout(sleepingSelect(), 100));
    expect(ms).toBeLessThan(1000);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(((error as QueryFailedError).driverError as unknown as { errno: number }).errno).toBe(1969);
    expect(isStatementTimeout(error)).toBe(true);
    expect(statementTimeoutLimitMs(error as QueryFailedError)).toBe(100);
    expect((error as QueryFailedError).query).toMatch(/^SET STATEMENT max_statement_time=0\.1 FOR SELECT/);
  });

  it('under the limit the raw rows come back', async () => {
    const rows = await queryWithStatementTimeout<{ id: number }>(dataSource.createQueryBuilder().select('r.id', 'id').from('slow_rows', 'r'), 5000);
    expect(rows.map((r) => Number(r.id))).toEqual([1]);
  });

  it('a session limit stops every statement of the work, and is lifted again on that connection afterwards', async () => {
    let connectionId: number | null = null;
    const { error, ms } = await failure(
      runWithStatementTimeout(dataSource, 100, async (manager) => {
        [{ connectionId }] = await manager.query<{ connectionId: number }[]>('SELECT CONNECTION_ID() AS connectionId');
        return sleepingSelect().setQueryRunner(manager.queryRunner!).getRawMany();
      }),
    );
    expect(ms).toBeLessThan(1000);
    expect(isStatementTimeout(error)).toBe(true);
    expect(statementTimeoutLimitMs(error as QueryFailedError)).toBe(100);
    // A pool of one connection hands the same connection out again: its session has no limit left.
    const runner = dataSource.createQueryRunner();
    try {
      const [{ id, limit }] = (await runner.query('SELECT CONNECTION_ID() AS id, @@SESSION.max_statement_time AS `limit`')) as { id: number; limit: number | string }[];
      expect(Number(id)).toBe(Number(connectionId));
      expect(Number(limit)).toBe(0);
      const [{ slept }] = (await runner.query('SELECT SLEEP(0.3) AS slept')) as { slept: number | string }[];
      expect(Number(slept)).toBe(0);
    } finally {
      await runner.release();
    }
  });

  it('inside a transaction the limit applies to the work and the transaction goes on without it', async () => {
    await dataSource.transaction(async (manager) => {
      const { error } = await failure(runWithStatementTimeout(dataSource, 100, (limited) => limited.query('SELECT SLEEP(2)'), manager));
      expect(isStatementTimeout(error)).toBe(true);
      const [{ limit }] = await manager.query<{ limit: number | string }[]>('SELECT @@SESSION.max_statement_time AS `limit`');
      expect(Number(limit)).toBe(0);
    });
  });

  describe('over HTTP, through the global exception filter', () => {
    @Controller('slow')
    class SlowController {
      constructor(private readonly source: DataSource) {}

      @Get()
      list() {
        return queryWithStatementTimeout(this.source.createQueryBuilder().select('SLEEP(2)', 'slept').from('slow_rows', 'r'), 100);
      }
    }

    let app: INestApplication;

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({ controllers: [SlowController], providers: [{ provide: DataSource, useValue: dataSource }] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      app.useGlobalFilters(new AllExceptionsFilter());
      await app.init();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers 503 with Retry-After and says how long the query was allowed, instead of hanging or a 500', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const error = jest.spyOn(Logger.prototype, 'error');
      const started = performance.now();
      const response = await request(app.getHttpServer()).get('/slow');
      expect(performance.now() - started).toBeLessThan(1000);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The query took longer than 0.1 s and was stopped; narrow the filters or try again in a moment',
        correlationId: expect.any(String),
        code: 'QUERY_TIMEOUT',
      });
      // A warning naming the route, not an error: the server did what it was told.
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ method: 'GET', route: '/slow', query: expect.stringContaining('max_statement_time=0.1') }), 'Query stopped at its time limit');
      expect(error).not.toHaveBeenCalled();
      warn.mockRestore();
      error.mockRestore();
    });
  });
});

describe('statement time limits on SQLite', () => {
  let directory: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-statement-timeout-'));
    dataSource = await new DataSource({ type: 'better-sqlite3', database: join(directory, 'scratch.sqlite') }).initialize();
    await dataSource.query('CREATE TABLE rows_here (id INTEGER PRIMARY KEY)');
    await dataSource.query('INSERT INTO rows_here (id) VALUES (1), (2)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('has no server-side limit: the query runs unchanged, in both forms', async () => {
    await expect(statementTimeoutEngine(dataSource)).resolves.toBe('sqlite');
    const qb = () => dataSource.createQueryBuilder().select('r.id', 'id').from('rows_here', 'r').orderBy('r.id');
    await expect(queryWithStatementTimeout(qb(), 100)).resolves.toEqual([{ id: 1 }, { id: 2 }]);
    await expect(runWithStatementTimeout(dataSource, 100, () => qb().getRawMany())).resolves.toEqual([{ id: 1 }, { id: 2 }]);
  });
});

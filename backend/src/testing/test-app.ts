import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Server } from 'node:http';
import { createApp } from '../app.factory';
import { Clock } from '../common/clock';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../database/cli/mysql-scratch';
import { DemoDataService } from '../demo-data/demo-data.service';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { cloneMysqlTemplate, copySqliteTemplate, testAppConfig } from './database-templates';

export type Engine = 'sqlite' | 'mysql';

/** SQLite always; MariaDB/MySQL when TEST_MYSQL_URL is set (global setup fails CI runs without it). */
export function enginesUnderTest(): Engine[] {
  return process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
}

export interface TestApp {
  engine: Engine;
  app: INestApplication;
  server: Server;
  clock: Clock;
  /** The access token of a demo user (logged in once per app). */
  token(username: string): Promise<string>;
  get(username: string, path: string): Promise<request.Response>;
  post(username: string, path: string, body?: object): Promise<request.Response>;
  /** Stops the application and starts a new one on the same database and files (a server restart); `app`, `server` and `clock` change. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real application on a database of its own: a fresh SQLite file, or a fresh scratch database on the MariaDB server,
 * with the demo organisation (and optionally the demo work orders). The database is a copy of the run's migrated and
 * seeded template (database-templates.ts); with the demo work orders, or without a template, it is migrated from empty.
 */
export async function startTestApp(engine: Engine, options: { demoWorkOrders?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-test-'));
  const sqliteFile = join(directory, 'jiesu.sqlite');
  let scratch: { name: string; url: string } | null = null;
  const mysqlServer = process.env.TEST_MYSQL_URL;
  // The demo work orders are seeded through the API's services on an empty database: that suite starts from empty.
  const fromTemplate = !options.demoWorkOrders;
  if (engine === 'mysql') {
    if (!mysqlServer) throw new Error('TEST_MYSQL_URL is needed for the mysql engine');
    scratch = (fromTemplate ? await cloneMysqlTemplate(mysqlServer, 'jiesu_test') : null) ?? (await createScratchMysqlDatabase(mysqlServer, 'jiesu_test'));
  } else if (fromTemplate) {
    copySqliteTemplate(sqliteFile);
  }
  const config = testAppConfig(directory, scratch ? scratch.url : `sqlite:${sqliteFile}`, options.env);
  const boot = async (): Promise<INestApplication> => {
    const started = await createApp(config);
    started.useLogger(false);
    await started.init();
    return started;
  };
  const app = await boot();
  await app.get(DemoDataService).seedIfEmpty({ workOrders: options.demoWorkOrders ?? false });
  const tokens = new Map<string, string>();
  const token = async (username: string): Promise<string> => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const response = await request(testApp.server).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    if (response.status !== 200) throw new Error(`Login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
    tokens.set(username, response.body.accessToken);
    return response.body.accessToken;
  };
  const testApp: TestApp = {
    engine,
    app,
    server: app.getHttpServer() as Server,
    clock: app.get(Clock),
    token,
    get: async (username, path) => request(testApp.server).get(path).set('Authorization', `Bearer ${await token(username)}`),
    post: async (username, path, body = {}) => request(testApp.server).post(path).set('Authorization', `Bearer ${await token(username)}`).send(body),
    restart: async () => {
      await testApp.app.close();
      tokens.clear();
      testApp.app = await boot();
      testApp.server = testApp.app.getHttpServer() as Server;
      testApp.clock = testApp.app.get(Clock);
    },
    close: async () => {
      await testApp.app.close();
      if (scratch && mysqlServer) await dropMysqlDatabase(mysqlServer, scratch.name);
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return testApp;
}

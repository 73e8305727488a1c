import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { DemoDataService } from '../../demo-data/demo-data.service';

/**
 * The application as the intake and SQLite memory benchmarks run it in their own process: production settings, the demo organisation
 * without orders, the deadline tick off (it would look at every new order), the per-user rate limit lifted (one agent
 * registers thousands of orders a minute), listening on a free loopback port. Files go below `directory`.
 */
export async function startBenchApp(databaseUrl: string, directory: string): Promise<{ app: INestApplication; port: number }> {
  process.env.ESCALATION_TICK_SECONDS = '0';
  const app = await createApp(loadConfig({ NODE_ENV: 'production', ...benchAppEnvironment(databaseUrl, directory) }));
  try {
    app.useLogger(['error', 'warn']);
    await app.init();
    await app.get(DemoDataService).seedIfEmpty({ workOrders: false });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, port: ((app.getHttpServer() as Server).address() as AddressInfo).port };
}

/**
 * The settings every intake benchmark gives the application, in its own process or as `node dist/main.js`: the demo
 * organisation is seeded by the bench, no console, the deadline tick off, the per-user rate limit lifted.
 */
export function benchAppEnvironment(databaseUrl: string, directory: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ATTACHMENTS_DIR: join(directory, 'attachments'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    SEED_DEMO_DATA: 'never',
    CONSOLE_DIR: join(directory, 'no-console'),
    DATA_DIR: join(directory, 'data'),
    ACCESS_TOKEN_TTL: '12h',
    RATE_LIMIT_API_PER_USER: '100000000',
    ESCALATION_TICK_SECONDS: '0',
    // The production default; REPEAT_DETECTION=off measures registration without the detector.
    REPEAT_DETECTION: process.env.REPEAT_DETECTION === 'off' ? 'off' : 'on',
  };
}

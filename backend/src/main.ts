import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { NextFunction, Request, Response } from 'express';
import { createApp } from './app.factory';
import { consoleDirectory } from './app.module';
import { findAccountsWithDemoPassword, publishedPasswordProblem } from './auth/published-password-check';
import { JOBS_WORKER_INDEX, stopOncePerNodeJobs } from './cluster/once-per-node-jobs';
import { processRole, WORKER_HEADER } from './cluster/process-role.service';
import { WorkerSupervisor } from './cluster/worker-supervisor';
import { type AppConfig, ConfigValidationError, loadConfig } from './config/app-config';
import { JwtSecretFileError, resolveJwtSecret } from './config/jwt-secret';
import { judgeNodeRuntime } from './config/node-runtime';
import { DemoDataService } from './demo-data/demo-data.service';
import { PasswordHasher } from './users/password-hasher';
import { UserAccountsService } from './users/user-accounts.service';

/** Stops start-up with a message for the operator (no stack trace: these are configuration problems). */
function refuse(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) refuse(error.message);
    throw error;
  }
}

/**
 * `npm start`: WORKERS=1 → one process does everything (as the tests run it). WORKERS=n → this process is the
 * primary: it does what must happen once (the signing secret, the migrations, the demo data or the check for the
 * published password), then forks n workers that share the port; each worker runs the application.
 */
async function bootstrap(): Promise<void> {
  const config = readConfig();
  const role = processRole();
  if (role.workerIndex !== null) return startWorker(config, role.workerIndex);

  const logger = new Logger('Bootstrap');
  const runtime = judgeNodeRuntime(process.version, config.nodeEnv);
  if (runtime.level === 'refuse') refuse(runtime.message ?? 'Unsupported Node.js runtime');
  if (runtime.level === 'warn') logger.warn(`!!! ${runtime.message} !!!`);
  try {
    // Read (or generate) the signing secret before anything else, so that a bad secret file stops start-up plainly,
    // and so that the workers all read the one file this process created.
    resolveJwtSecret(config);
  } catch (error) {
    if (error instanceof JwtSecretFileError) refuse(error.message);
    throw error;
  }
  const app = await createApp(config);
  await app.init();
  // Logs are buffered until listen(), which the primary never calls.
  app.flushLogs();
  // The primary's application only prepares the database; the jobs run in worker 1.
  if (config.workers > 1) stopOncePerNodeJobs(app.get(SchedulerRegistry));
  if (!config.auth.jwtSecret) {
    logger.log(`JWT_SECRET is not set: tokens are signed with the generated secret in ${config.dataDirectory}/jwt-secret (set JWT_SECRET when running several nodes)`);
  }
  await prepareData(app, config, logger);
  if (config.workers === 1) {
    await app.listen(config.port, config.host);
    announce(config, logger);
    return;
  }
  // The migrations ran in init and the data is ready: the workers find nothing left to do once.
  await app.close();
  new WorkerSupervisor({ workers: config.workers, logger: new Logger('Cluster'), onListening: () => announce(config, logger) }).start();
}

/** Demo data on an empty database, or in production the refusal while an account still has the published password. */
async function prepareData(app: INestApplication, config: AppConfig, logger: Logger): Promise<void> {
  if (config.nodeEnv === 'production') {
    const problem = publishedPasswordProblem(await findAccountsWithDemoPassword(app.get(UserAccountsService), app.get(PasswordHasher)));
    if (problem) {
      await app.close();
      refuse(problem);
    }
  } else if (config.seedDemoData && (await app.get(DemoDataService).seedIfEmpty())) {
    logger.log('The database was empty: demo data created (users admin, agent1, dispatcher1, … password Demo@12345)');
  }
}

function announce(config: AppConfig, logger: Logger): void {
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const processes = config.workers > 1 ? `; ${config.workers} worker processes` : '';
  logger.log(`jiesu is listening on ${url} (database: ${config.database.engine}${processes})${config.apiDocs ? `; API docs at ${url}/api/docs` : ''}`);
  if (!consoleDirectory(config)) logger.warn('The console is not built (frontend/dist missing): run npm run build');
}

/** Worker n of the primary: the application on the shared port; the once-per-node jobs only in worker 1. */
async function startWorker(config: AppConfig, index: number): Promise<void> {
  const app = await createApp(config);
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader(WORKER_HEADER, String(index));
    next();
  });
  await app.init();
  if (index !== JOBS_WORKER_INDEX) stopOncePerNodeJobs(app.get(SchedulerRegistry));
  // The primary is gone (killed without its SIGTERM to us): nobody hands us connections any more, so stop cleanly.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  await app.listen(config.port, config.host);
}

void bootstrap();

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { consoleDirectory } from './app.module';
import { findAccountsWithDemoPassword, publishedPasswordProblem } from './auth/published-password-check';
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

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const logger = new Logger('Bootstrap');
  const runtime = judgeNodeRuntime(process.version, config.nodeEnv);
  if (runtime.level === 'refuse') refuse(runtime.message ?? 'Unsupported Node.js runtime');
  if (runtime.level === 'warn') logger.warn(`!!! ${runtime.message} !!!`);

  try {
    // Read (or generate) the signing secret before anything else, so that a bad secret file stops start-up plainly.
    resolveJwtSecret(config);
  } catch (error) {
    if (error instanceof JwtSecretFileError) refuse(error.message);
    throw error;
  }
  const app = await createApp(config);
  await app.init();
  if (!config.auth.jwtSecret) {
    logger.log(`JWT_SECRET is not set: tokens are signed with the generated secret in ${config.dataDirectory}/jwt-secret (set JWT_SECRET when running several instances)`);
  }
  if (config.nodeEnv === 'production') {
    const problem = publishedPasswordProblem(await findAccountsWithDemoPassword(app.get(UserAccountsService), app.get(PasswordHasher)));
    if (problem) {
      await app.close();
      refuse(problem);
    }
  } else if (config.seedDemoData && (await app.get(DemoDataService).seedIfEmpty())) {
    logger.log('The database was empty: demo data created (users admin, agent1, dispatcher1, … password Demo@12345)');
  }
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.log(`jiesu is listening on ${url} (database: ${config.database.engine})${config.apiDocs ? `; API docs at ${url}/api/docs` : ''}`);
  if (!consoleDirectory(config)) logger.warn('The console is not built (frontend/dist missing): run npm run build');
}

void bootstrap();

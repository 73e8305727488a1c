import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { consoleDirectory } from './app.module';
import { ConfigValidationError, loadConfig } from './config/app-config';
import { DemoDataService } from './demo-data/demo-data.service';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  const logger = new Logger('Bootstrap');
  if (config.auth.jwtSecretIsDevelopmentDefault) {
    logger.warn('JWT_SECRET is not set: using the development secret. Set JWT_SECRET in production.');
  }
  if (config.seedDemoData && (await app.get(DemoDataService).seedIfEmpty())) {
    logger.log('The database was empty: demo data created (users admin, agent1, dispatcher1, … password Demo@12345)');
  }
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.log(`jiesu is listening on ${url} (database: ${config.database.engine}); API docs at ${url}/api/docs`);
  if (!consoleDirectory(config)) logger.warn('The console is not built (frontend/dist missing): run npm run build');
}

void bootstrap();

/** npm run seed: creates the demo data in an empty database (migrating it first). */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config/app-config';
import { DemoDataService } from '../../demo-data/demo-data.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, consoleDirectory: null }), { logger: ['error', 'warn'] });
  try {
    const seeded = await app.get(DemoDataService).seedIfEmpty();
    console.log(seeded ? 'Demo data created. Users: admin, agent1, agent2, dispatcher1, reviewer1, callback1, supervisor1, auditor1 and <unit code>_admin / <unit code>_handler; password Demo@12345; agent1 and agent2 have the phone extensions 8001 and 8002 (SIP password Demo@12345).' : 'The database already has data: nothing seeded.');
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

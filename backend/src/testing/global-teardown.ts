import { dropDatabaseTemplates } from './database-templates';

export default async function globalTeardown(): Promise<void> {
  await dropDatabaseTemplates(process.env.TEST_MYSQL_URL ?? null);
}

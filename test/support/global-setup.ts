import { prepareSqliteTemplate } from './server';

/** Once per run: the SQLite database every fresh server starts on (support/server.ts, SQLITE_TEMPLATE_ENV). */
export default async function globalSetup(): Promise<void> {
  await prepareSqliteTemplate();
}

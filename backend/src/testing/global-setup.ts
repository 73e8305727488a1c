import { prepareDatabaseTemplates } from './database-templates';
import { checkMysqlForTests } from './mysql-availability';

export default async function globalSetup(): Promise<void> {
  const { url, notice } = await checkMysqlForTests();
  if (notice) {
    const line = '!'.repeat(100);
    process.stderr.write(`\n${line}\n!! ${notice}\n${line}\n\n`);
  }
  await prepareDatabaseTemplates(url);
}

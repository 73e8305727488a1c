import { createConnection } from 'mysql2/promise';

/**
 * Whether the MariaDB/MySQL suites run. Without TEST_MYSQL_URL they are skipped with a loud notice on a
 * developer's machine; under CI=true a missing or unreachable server fails the run instead.
 */
export async function checkMysqlForTests(): Promise<{ url: string | null; notice: string | null }> {
  const url = process.env.TEST_MYSQL_URL ?? null;
  const ci = process.env.CI === 'true';
  if (!url) {
    const message = 'TEST_MYSQL_URL is not set: the MariaDB/MySQL integration suites are SKIPPED (SQLite only).';
    if (ci) throw new Error(`${message} Under CI=true they must run: set TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test).`);
    return { url: null, notice: message };
  }
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 5000 });
    await connection.query('SELECT 1');
    await connection.end();
    return { url, notice: null };
  } catch (error) {
    throw new Error(`TEST_MYSQL_URL=${url} is set but the server does not answer: ${(error as Error).message}`);
  }
}

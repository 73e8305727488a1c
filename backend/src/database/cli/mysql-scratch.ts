import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** Creates an empty database with a unique name on the server behind `serverUrl` (whose own database is ignored). */
export async function createScratchMysqlDatabase(serverUrl: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropMysqlDatabase(serverUrl: string, name: string): Promise<void> {
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** A benchmark's MariaDB database: a new scratch one, or the one BENCH_DATABASE names (measured again, never dropped). */
export interface BenchDatabase {
  /** The server (BENCH_MYSQL_URL, TEST_MYSQL_URL or the local default). */
  server: string;
  name: string;
  url: string;
  /** BENCH_DATABASE was given: the data is there already, nothing is loaded. */
  reused: boolean;
  /** Not dropped at the end (reused, or BENCH_KEEP=1). */
  keep: boolean;
}

export async function openBenchDatabase(prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchDatabase> {
  const server = env.BENCH_MYSQL_URL ?? env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const reused = env.BENCH_DATABASE?.trim();
  if (reused) {
    const url = new URL(server.replace(/^mariadb:/, 'mysql:'));
    url.pathname = `/${reused}`;
    return { server, name: reused, url: url.toString(), reused: true, keep: true };
  }
  const scratch = await createScratchMysqlDatabase(server, prefix);
  return { server, ...scratch, reused: false, keep: env.BENCH_KEEP === '1' };
}

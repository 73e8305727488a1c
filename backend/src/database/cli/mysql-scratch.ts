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

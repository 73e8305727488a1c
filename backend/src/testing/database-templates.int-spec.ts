import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { dropMysqlDatabase } from '../database/cli/mysql-scratch';
import { cloneMysqlTemplate, mysqlTemplateName } from './database-templates';

const mysqlServer = process.env.TEST_MYSQL_URL;

/** What a database is made of, as the server shows it: every table's definition and rows, every routine. */
async function describeDatabase(connection: Connection, database: string): Promise<Record<string, unknown>> {
  const [tables] = await connection.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  );
  const described: Record<string, unknown> = {};
  for (const { name } of tables) {
    const [[shown]] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${database}\`.\`${name}\``);
    const [[count]] = await connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS count FROM \`${database}\`.\`${name}\``);
    const [[checksum]] = await connection.query<RowDataPacket[]>(`CHECKSUM TABLE \`${database}\`.\`${name}\``);
    described[`table ${name as string}`] = {
      // The next id follows the rows copied, not the template's history of inserts.
      definition: (shown['Create Table'] as string).replace(/ AUTO_INCREMENT=\d+/, ''),
      rows: Number(count.count),
      checksum: checksum.Checksum as unknown,
    };
  }
  const [routines] = await connection.query<RowDataPacket[]>(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, ROUTINE_DEFINITION AS body, SQL_MODE AS sqlMode
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME`,
    [database],
  );
  for (const { name, type, body, sqlMode } of routines) described[`${type as string} ${name as string}`] = { body: body as unknown, sqlMode: sqlMode as unknown };
  return described;
}

(mysqlServer ? describe : describe.skip)('the MariaDB template database and its clones', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await createConnection({ uri: mysqlServer });
  });

  afterAll(async () => {
    await connection?.end();
  });

  it('clones every table with its keys, foreign keys, engine and rows, and every stored procedure', async () => {
    const template = mysqlTemplateName();
    expect(template).toEqual(expect.any(String));
    const clone = await cloneMysqlTemplate(mysqlServer as string, 'jiesu_test_clone');
    expect(clone).not.toBeNull();
    try {
      const original = await describeDatabase(connection, template as string);
      const copy = await describeDatabase(connection, clone!.name);
      expect(Object.keys(original)).toEqual(expect.arrayContaining(['table work_orders', 'table units', 'table users', 'PROCEDURE register_work_order']));
      expect(JSON.stringify(original)).toMatch(/FOREIGN KEY/);
      expect(JSON.stringify(original)).toMatch(/ENGINE=Mroonga/);
      expect(copy).toEqual(original);
    } finally {
      await dropMysqlDatabase(mysqlServer as string, clone!.name);
    }
  });
});

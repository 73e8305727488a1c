import { MigrationInterface, QueryRunner } from 'typeorm';
// eslint-disable-next-line local/module-boundaries -- the back-fill must split text exactly as the search does at run time
import { FTS5_UPSERT, fts5RowOf, SQLITE_SEARCH_TABLE } from '../../search/sqlite-fts5-work-order-search';
// eslint-disable-next-line local/module-boundaries -- the ranking weight the search's scores are documented with
import { TITLE_WEIGHT } from '../../search/work-order-search';

const MISSING_MROONGA =
  'The work-order search needs the Mroonga storage engine on MariaDB, and this server does not have it enabled. ' +
  "Install it (Debian/Ubuntu: apt-get install mariadb-plugin-mroonga) and enable it once with INSTALL SONAME 'ha_mroonga'; " +
  'then start the application again (README.md, MariaDB/MySQL).';

/**
 * Hand-written (TypeORM has no full-text DDL); reviewed. The full-text index of work orders (issue 8), one
 * per engine, filled from the orders already there:
 * - MariaDB: a Mroonga storage-mode table (TokenBigram over title and body) and the InnoDB outbox that keeps
 *   it in step across crashes (mroonga-work-order-search.ts). Without Mroonga the migration stops with a
 *   message telling the operator how to install it (MariaDB has no ngram parser to fall back on);
 * - MySQL 8: InnoDB FULLTEXT WITH PARSER ngram (untested here);
 * - SQLite: a contentless FTS5 table over bigram-split text, its rank bm25 with the title weighted.
 */
export class WorkOrderSearch1796187005610 implements MigrationInterface {
  name = 'WorkOrderSearch1796187005610';

  async up(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    if (type === 'better-sqlite3') {
      await queryRunner.query(
        `CREATE VIRTUAL TABLE "${SQLITE_SEARCH_TABLE}" USING fts5("title", "body", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`,
      );
      await queryRunner.query(`INSERT INTO "${SQLITE_SEARCH_TABLE}" ("${SQLITE_SEARCH_TABLE}", "rank") VALUES ('rank', 'bm25(${TITLE_WEIGHT}.0, 1.0)')`);
      for (let after = 0; ; ) {
        const orders = (await queryRunner.query(
          'SELECT "id", "number", "title", "content", "address" FROM "work_orders" WHERE "id" > ? ORDER BY "id" LIMIT 1000',
          [after],
        )) as { id: number; number: string; title: string; content: string; address: string }[];
        if (orders.length === 0) break;
        for (const order of orders) await queryRunner.query(FTS5_UPSERT, fts5RowOf(order));
        after = orders[orders.length - 1].id;
      }
      return;
    }
    const [{ version }] = (await queryRunner.query('SELECT VERSION() AS version')) as { version: string }[];
    if (/mariadb/i.test(version)) {
      const engines = (await queryRunner.query("SELECT 1 FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')")) as unknown[];
      if (engines.length === 0) throw new Error(MISSING_MROONGA);
      await queryRunner.query(
        "CREATE TABLE `work_order_search` (`id` int NOT NULL, `title` varchar(200) NOT NULL, `body` mediumtext NOT NULL, PRIMARY KEY (`id`), " +
          "FULLTEXT INDEX `FT_work_order_search` (`title`, `body`) COMMENT 'parser \"TokenBigram\"') " +
          'ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
      );
      await queryRunner.query('CREATE TABLE `work_order_search_pending` (`workOrderId` int NOT NULL, PRIMARY KEY (`workOrderId`)) ENGINE=InnoDB');
    } else {
      await queryRunner.query(
        'CREATE TABLE `work_order_search` (`id` int NOT NULL, `title` varchar(200) NOT NULL, `body` mediumtext NOT NULL, PRIMARY KEY (`id`), ' +
          'FULLTEXT INDEX `FT_work_order_search` (`title`, `body`) WITH PARSER ngram, FULLTEXT INDEX `FT_work_order_search_title` (`title`) WITH PARSER ngram) ' +
          'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
      );
    }
    // The body as bodyOf() writes it: number, address, content on their own lines.
    await queryRunner.query('INSERT INTO `work_order_search` (`id`, `title`, `body`) SELECT `id`, `title`, CONCAT_WS(CHAR(10), `number`, `address`, `content`) FROM `work_orders`');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const type = queryRunner.connection.options.type;
    if (type === 'better-sqlite3') {
      await queryRunner.query(`DROP TABLE "${SQLITE_SEARCH_TABLE}"`);
      return;
    }
    await queryRunner.query('DROP TABLE IF EXISTS `work_order_search_pending`');
    await queryRunner.query('DROP TABLE `work_order_search`');
  }
}

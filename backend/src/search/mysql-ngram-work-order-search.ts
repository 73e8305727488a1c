import type { DataSource, EntityManager } from 'typeorm';
import type { SearchSegment } from './cjk-bigrams';
import { querySegments } from './cjk-bigrams';
import { bodyOf, limitOf, TITLE_WEIGHT, WorkOrderSearch, type IndexableWorkOrder } from './work-order-search';

/** An InnoDB table with a FULLTEXT index WITH PARSER ngram (ngram_token_size = 2, the server's default). */
export const NGRAM_SEARCH_TABLE = 'work_order_search';

/**
 * The segments as a MySQL boolean-mode query for the ngram parser, or null when there is nothing to search.
 * The parser splits text and query alike into 2-grams; a quoted term is the phrase of its 2-grams. A single
 * character is shorter than a token, so it is a prefix (灯* matches the 2-grams that start with 灯).
 */
export function toNgramQuery(segments: SearchSegment[]): string | null {
  if (segments.length === 0) return null;
  return segments.map((s) => ([...s.text].length === 1 ? `+${s.text}*` : `+"${s.text}"`)).join(' ');
}

/**
 * MySQL 8: InnoDB FULLTEXT with the ngram parser, which is transactional (the index row commits with the
 * order). Selected when SELECT VERSION() says MySQL rather than MariaDB. NOT TESTED on this project's
 * machines (they run MariaDB): see docs/search.md.
 */
export class MysqlNgramWorkOrderSearch extends WorkOrderSearch {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async newest(query: string, beforeId: number | null, limit: number): Promise<number[]> {
    const match = toNgramQuery(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM \`${NGRAM_SEARCH_TABLE}\` WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE)${beforeId === null ? '' : ' AND id < ?'} ORDER BY id DESC LIMIT ${limit}`,
      beforeId === null ? [match] : [match, beforeId],
    );
    return rows.map((row) => Number(row.id));
  }

  async ranked(query: string, limit: number): Promise<{ id: number; score: number }[]> {
    const match = toNgramQuery(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    // InnoDB has no per-column weights in one index: a title match counts TITLE_WEIGHT times through a second MATCH on the title alone.
    const rows: { id: number; score: number }[] = await this.dataSource.query(
      `SELECT id, MATCH(title, body) AGAINST(? IN BOOLEAN MODE) + ${TITLE_WEIGHT - 1} * MATCH(title) AGAINST(? IN BOOLEAN MODE) AS score
         FROM \`${NGRAM_SEARCH_TABLE}\` WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) ORDER BY score DESC, id DESC LIMIT ${limit}`,
      [match, match, match],
    );
    return rows.map((row) => ({ id: Number(row.id), score: Number(row.score) }));
  }

  async count(query: string, cap: number): Promise<number> {
    const match = toNgramQuery(querySegments(query));
    if (match === null || limitOf(cap) === 0) return 0;
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM \`${NGRAM_SEARCH_TABLE}\` WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) LIMIT ${cap}) AS matches`,
      [match],
    );
    return Number(rows[0].n);
  }

  async index(order: IndexableWorkOrder, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO \`${NGRAM_SEARCH_TABLE}\` (id, title, body) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE title = VALUES(title), body = VALUES(body)`,
      [order.id, order.title, bodyOf(order)],
    );
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import { querySegments, toFts5Query, tokenizeDocument } from './cjk-bigrams';
import { bodyOf, limitOf, WorkOrderSearch, type IndexableWorkOrder } from './work-order-search';

/** The FTS5 table (contentless: it keeps only the index; the text stays in work_orders). Created by the SearchIndex migration. */
export const SQLITE_SEARCH_TABLE = 'work_order_search';

/** The row the FTS5 index gets for an order: its rowid is the order's id, its columns bigram-split text. */
export function fts5RowOf(order: IndexableWorkOrder): [number, string, string] {
  return [order.id, tokenizeDocument(order.title), tokenizeDocument(bodyOf(order))];
}

export const FTS5_UPSERT = `INSERT OR REPLACE INTO "${SQLITE_SEARCH_TABLE}" ("rowid", "title", "body") VALUES (?, ?, ?)`;

/**
 * SQLite: FTS5 over text this side has already split into CJK bigrams and words (cjk-bigrams.ts), with the
 * unicode61 tokenizer only cutting at the spaces between them. The index row is written in the registration's
 * own transaction, so it is committed or rolled back with the order.
 */
export class SqliteFts5WorkOrderSearch extends WorkOrderSearch {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async newest(query: string, beforeId: number | null, limit: number): Promise<number[]> {
    const match = toFts5Query(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT "rowid" AS "id" FROM "${SQLITE_SEARCH_TABLE}" WHERE "${SQLITE_SEARCH_TABLE}" MATCH ?${beforeId === null ? '' : ' AND "rowid" < ?'} ORDER BY "rowid" DESC LIMIT ${limit}`,
      beforeId === null ? [match] : [match, beforeId],
    );
    return rows.map((row) => Number(row.id));
  }

  async ranked(query: string, limit: number): Promise<{ id: number; score: number }[]> {
    const match = toFts5Query(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    // The table's rank is bm25 with the title weighted (set by the migration); bm25 is lower-is-better.
    const rows: { id: number; rank: number }[] = await this.dataSource.query(
      `SELECT "rowid" AS "id", "rank" FROM "${SQLITE_SEARCH_TABLE}" WHERE "${SQLITE_SEARCH_TABLE}" MATCH ? ORDER BY "rank" ASC, "rowid" DESC LIMIT ${limit}`,
      [match],
    );
    return rows.map((row) => ({ id: Number(row.id), score: -Number(row.rank) }));
  }

  async count(query: string, cap: number): Promise<number> {
    const match = toFts5Query(querySegments(query));
    if (match === null || limitOf(cap) === 0) return 0;
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "${SQLITE_SEARCH_TABLE}" WHERE "${SQLITE_SEARCH_TABLE}" MATCH ? LIMIT ${cap})`,
      [match],
    );
    return Number(rows[0].n);
  }

  async index(order: IndexableWorkOrder, manager: EntityManager): Promise<void> {
    await manager.query(FTS5_UPSERT, fts5RowOf(order));
  }
}

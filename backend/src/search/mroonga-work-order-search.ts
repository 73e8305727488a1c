import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { SearchSegment } from './cjk-bigrams';
import { querySegments } from './cjk-bigrams';
import { bodyAfterNumber, bodyOf, limitOf, TITLE_WEIGHT, WorkOrderSearch, type IndexableWorkOrder } from './work-order-search';

/** The Mroonga storage-mode table (FULLTEXT (title, body) with TokenBigram). */
export const MROONGA_SEARCH_TABLE = 'work_order_search';
/** InnoDB: the ids of committed orders whose index row may not be written yet (a transactional outbox). */
export const MROONGA_PENDING_TABLE = 'work_order_search_pending';

/**
 * The segments as a Mroonga boolean-mode query, or null when there is nothing to search. A CJK run is a
 * quoted phrase (TokenBigram turns it into the phrase of its bigrams; one character becomes a prefix
 * search); a word is a prefix. Tokens hold only letters and digits, so +, -, (, ), ", *, OR, ~, <, > and
 * the *pragma syntax can never come from the user.
 */
export function toMroongaQuery(segments: SearchSegment[]): string | null {
  if (segments.length === 0) return null;
  return segments.map((s) => (s.kind === 'cjk' ? `+"${s.text}"` : `+${s.text}*`)).join(' ');
}

/** The title weighted over the body (*W pragma: section 1 is the index's first column). */
const weighted = (match: string) => `*W1:${TITLE_WEIGHT},2:1 ${match}`;

const UPSERT = `INSERT INTO \`${MROONGA_SEARCH_TABLE}\` (id, title, body) VALUES ? ON DUPLICATE KEY UPDATE title = VALUES(title), body = VALUES(body)`;
const CATCH_UP_BATCH = 500;
const CATCH_UP_INTERVAL_MS = 60_000;

/**
 * MariaDB: Mroonga in storage mode, whose "fast ORDER BY LIMIT" answers newest() from the index alone.
 * Storage mode is not transactional (a row written inside a transaction stays after a rollback), so the
 * registration's transaction only writes the order's id into an InnoDB outbox (work_order_search_pending);
 * right after COMMIT (a TypeORM transaction subscriber, awaited before the request answers) the index row is
 * written. The sweep (at start and every minute, in every process) empties the outbox in batches: it writes
 * the index rows that are missing — a crash or an error between COMMIT and the index write — and deletes the
 * outbox rows. So no committed order stays out of the index, a rolled-back registration leaves neither an
 * outbox row nor an index row, and a registration costs one InnoDB INSERT and one Mroonga write (the outbox
 * rows are deleted in bulk by the sweep, not one by one).
 */
export class MroongaWorkOrderSearch extends WorkOrderSearch implements EntitySubscriberInterface, OnApplicationBootstrap, OnModuleDestroy {
  override readonly indexesAfterCommit = true;
  override readonly readsEveryMatch = true;
  private readonly logger = new Logger(MroongaWorkOrderSearch.name);
  /** Orders to index once the transaction they were registered in commits. */
  private readonly afterCommit = new WeakMap<QueryRunner, IndexableWorkOrder[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly dataSource: DataSource) {
    super();
    dataSource.subscribers.push(this);
  }

  async newest(query: string, beforeId: number | null, limit: number): Promise<number[]> {
    const match = toMroongaQuery(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    // Only MATCH and a primary-key range in WHERE, ORDER BY the key: Mroonga's fast ORDER BY LIMIT applies.
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM \`${MROONGA_SEARCH_TABLE}\` WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE)${beforeId === null ? '' : ' AND id < ?'} ORDER BY id DESC LIMIT ${limit}`,
      beforeId === null ? [match] : [match, beforeId],
    );
    return rows.map((row) => Number(row.id));
  }

  async ranked(query: string, limit: number): Promise<{ id: number; score: number }[]> {
    const match = toMroongaQuery(querySegments(query));
    if (match === null || limitOf(limit) === 0) return [];
    const rows: { id: number; score: number }[] = await this.dataSource.query(
      `SELECT id, MATCH(title, body) AGAINST(? IN BOOLEAN MODE) AS score FROM \`${MROONGA_SEARCH_TABLE}\`
        WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) ORDER BY score DESC, id DESC LIMIT ${limit}`,
      [weighted(match), weighted(match)],
    );
    return rows.map((row) => ({ id: Number(row.id), score: Number(row.score) }));
  }

  async count(query: string, cap: number): Promise<number> {
    const match = toMroongaQuery(querySegments(query));
    if (match === null || limitOf(cap) === 0) return 0;
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM (SELECT id FROM \`${MROONGA_SEARCH_TABLE}\` WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) LIMIT ${cap}) AS matches`,
      [match],
    );
    return Number(rows[0].n);
  }

  /** Written by the registration's procedure after its COMMIT, with its outbox row (the catch-up sweep's safety net). */
  override rowWrittenAtRegistration(order: Omit<IndexableWorkOrder, 'id' | 'number'>): { title: string; bodyAfterNumber: string } {
    return { title: order.title, bodyAfterNumber: bodyAfterNumber(order) };
  }

  async index(order: IndexableWorkOrder, manager: EntityManager, options: { outboxWritten?: boolean } = {}): Promise<void> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      await this.write([order], manager);
      return;
    }
    if (!options.outboxWritten) await manager.query(`INSERT IGNORE INTO \`${MROONGA_PENDING_TABLE}\` (workOrderId) VALUES (?)`, [order.id]);
    const waiting = this.afterCommit.get(runner) ?? [];
    waiting.push(order);
    this.afterCommit.set(runner, waiting);
  }

  /** TypeORM calls this after every COMMIT, and waits for it. It must not throw: the transaction is already committed. */
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const orders = this.afterCommit.get(event.queryRunner);
    // A savepoint released inside a longer transaction commits nothing yet: wait for the outer COMMIT.
    if (!orders || event.queryRunner.isTransactionActive) return;
    this.afterCommit.delete(event.queryRunner);
    try {
      await this.write(orders, event.queryRunner.manager);
    } catch (error) {
      this.logger.warn(`Indexing orders ${orders.map((o) => o.id).join(', ')} failed; the next sweep of the outbox indexes them: ${(error as Error).message}`);
    }
  }

  /**
   * The outbox rows rolled back with the orders. (Were a savepoint inside a longer transaction rolled back, this
   * would also drop the orders written before it; their outbox rows stay, so the next sweep indexes them.)
   */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.afterCommit.delete(event.queryRunner);
  }

  onApplicationBootstrap(): void {
    void this.catchUpLogged();
    this.timer = setInterval(() => void this.catchUpLogged(), CATCH_UP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
  }

  /**
   * Empties the outbox: writes the index rows of the orders in it that are not indexed yet (registered and
   * committed, index row not written: a crash or an error right after COMMIT) and deletes their outbox rows.
   * Safe to run in several processes at once (upserts and deletes by id). Returns how many it had to index.
   */
  async catchUp(): Promise<number> {
    let indexed = 0;
    for (let after = 0; ; ) {
      const rows: { workOrderId: number; id: number | null; number: string; title: string; content: string; address: string }[] = await this.dataSource.query(
        `SELECT p.workOrderId, o.id, o.number, o.title, o.content, o.address
           FROM \`${MROONGA_PENDING_TABLE}\` p LEFT JOIN work_orders o ON o.id = p.workOrderId
          WHERE p.workOrderId > ? ORDER BY p.workOrderId LIMIT ${CATCH_UP_BATCH}`,
        [after],
      );
      if (rows.length === 0) return indexed;
      const ids = rows.map((r) => Number(r.workOrderId));
      const present: { id: number }[] = await this.dataSource.query(`SELECT id FROM \`${MROONGA_SEARCH_TABLE}\` WHERE id IN (?)`, [ids]);
      const done = new Set(present.map((r) => Number(r.id)));
      const missing = rows
        .filter((r) => r.id !== null && !done.has(Number(r.id)))
        .map((r) => ({ id: Number(r.id), number: r.number, title: r.title, content: r.content, address: r.address }));
      if (missing.length > 0) await this.dataSource.query(UPSERT, [missing.map((o) => [o.id, o.title, bodyOf(o)])]);
      await this.dataSource.query(`DELETE FROM \`${MROONGA_PENDING_TABLE}\` WHERE workOrderId IN (?)`, [ids]);
      indexed += missing.length;
      after = ids[ids.length - 1];
    }
  }

  private async catchUpLogged(): Promise<void> {
    try {
      const done = await this.catchUp();
      if (done > 0) this.logger.warn(`Indexed ${done} order(s) whose index write after COMMIT had not happened (a crash or an error; under load also a commit whose write was still on its way: written twice, the same row)`);
    } catch (error) {
      if (this.dataSource.isInitialized) this.logger.warn(`Search index catch-up failed: ${(error as Error).message}`);
    }
  }

  private async write(orders: IndexableWorkOrder[], manager: EntityManager): Promise<void> {
    await manager.query(UPSERT, [orders.map((o) => [o.id, o.title, bodyOf(o)])]);
  }
}

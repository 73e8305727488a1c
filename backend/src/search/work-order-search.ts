import type { EntityManager } from 'typeorm';
import { querySegments } from './cjk-bigrams';

/** What the search index holds of an order: never the citizen's name or phone (unit staff see them masked). */
export interface IndexableWorkOrder {
  id: number;
  number: string;
  title: string;
  content: string;
  address: string;
}

/**
 * Full-text search over work orders (number, title, content, address), one implementation per engine:
 * Mroonga on MariaDB, the ngram FULLTEXT parser on MySQL 8, FTS5 on SQLite; a search cluster (OpenSearch)
 * would be another (docs/search.md). Every method takes the user's text as it is: several words separated
 * by spaces must all match; a query with nothing searchable in it (only punctuation) matches nothing; the
 * engines' query syntax never reaches them from the user.
 */
export abstract class WorkOrderSearch {
  /** Ids of orders whose number/title/content/address match `query`, highest id first, only ids < beforeId when given. */
  abstract newest(query: string, beforeId: number | null, limit: number): Promise<number[]>;
  /** The best `limit` matches, best first (score descending, then id descending), with their score. */
  abstract ranked(query: string, limit: number): Promise<{ id: number; score: number }[]>;
  /** How many orders match, counting at most `cap` (returns cap when there are more). Must not scan the orders table. */
  abstract count(query: string, cap: number): Promise<number>;
  /**
   * True when index() inside a transaction only records the order's id and writes the index row after COMMIT from
   * the object it was given: then fields of that object (the number registration draws last) may still change
   * before COMMIT.
   */
  readonly indexesAfterCommit: boolean = false;
  /**
   * Adds or replaces the order in the index, inside the caller's transaction when the engine allows.
   * `outboxWritten`: an index that writes after COMMIT (indexesAfterCommit) finds its outbox row already written in
   * this transaction (by the registration's procedure, migration RegistrationInOneCall); other indexes ignore it.
   */
  abstract index(order: IndexableWorkOrder, manager: EntityManager, options?: { outboxWritten?: boolean }): Promise<void>;
  /**
   * True when newest() reads every match of a word whatever its limit (Mroonga: ≈ 0.4 s for a word in a fifth of
   * 5 million orders). The newest matches of a common word are then found faster by reading the newest orders
   * themselves (substringTerms).
   */
  readonly readsEveryMatch: boolean = false;
  /**
   * The index row of a new order as the registration's procedure writes it right after its COMMIT (migration
   * RegistrationInOneStatement): its title, and its body without the number the procedure draws (the body is the
   * number followed by this). Null when this index is not written that way (then index() is called in the
   * registration's transaction).
   */
  rowWrittenAtRegistration(_order: Omit<IndexableWorkOrder, 'id' | 'number'>): { title: string; bodyAfterNumber: string } | null {
    return null;
  }
}

/**
 * The query as words an order's title, content or address must each contain, when that is exactly what the index
 * matches: every segment a run of two or more CJK characters (the index matches it as a phrase of bigrams, i.e. as a
 * substring). Null for anything else (a 1-character run, letters or digits: prefixes in the index), and for a query
 * with nothing searchable.
 */
export function substringTerms(query: string): string[] | null {
  const segments = querySegments(query);
  if (segments.length === 0 || segments.some((s) => s.kind !== 'cjk' || [...s.text].length < 2)) return null;
  return segments.map((s) => s.text);
}

/** Weight of a match in the title against one in the address, content or number, in the ranking. */
export const TITLE_WEIGHT = 5;

/** The index's second column: everything but the title, as one text. */
export function bodyOf(order: Pick<IndexableWorkOrder, 'number' | 'address' | 'content'>): string {
  return `${order.number}${bodyAfterNumber(order)}`;
}

/** The index's second column after the order's number (which a registration on a server draws in its procedure). */
export function bodyAfterNumber(order: Pick<IndexableWorkOrder, 'address' | 'content'>): string {
  return `\n${order.address}\n${order.content}`;
}

/** A positive whole number for LIMIT clauses (the SQL is built with it, so it is checked here). */
export function limitOf(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A search limit must be a whole number ≥ 0, not ${value}`);
  return value;
}

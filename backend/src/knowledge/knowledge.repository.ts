import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { KnowledgeArticle } from './knowledge-article.entity';
import type { TermCondition, TermCounts } from './knowledge-terms';
import type { KnowledgeStatus } from './knowledge.enums';
import { KnowledgeTerm } from './knowledge-term.entity';

/** Which articles a list or a search may return. */
export interface KnowledgeFilter {
  statuses: readonly KnowledgeStatus[];
  /** The category and all below it; undefined for every category (and none). */
  categoryIds?: number[];
}

/** An article as views need it: its row and the display names of its author and last editor. */
export interface KnowledgeArticleRow {
  article: KnowledgeArticle;
  createdByName: string;
  updatedByName: string;
}

/** Rows per INSERT of terms: 4 parameters each, far below SQLite's 32,766 and MariaDB's packet size. */
const TERM_INSERT_CHUNK = 500;

/** A whole number for SQL text (LIMIT, OFFSET, HAVING): checked here since the statement is built with it. */
function wholeNumber(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Expected a whole number ≥ 0, not ${value}`);
  return value;
}

/** The queries of the knowledge base: articles, and the term index kept in step with them. */
@Injectable()
export class KnowledgeRepository {
  constructor(
    @InjectRepository(KnowledgeArticle) private readonly articles: Repository<KnowledgeArticle>,
  ) {}

  async hasArticles(): Promise<boolean> {
    return (await this.articles.count({ take: 1 })) > 0;
  }

  findById(id: number, manager?: EntityManager): Promise<KnowledgeArticle | null> {
    return (manager ? manager.getRepository(KnowledgeArticle) : this.articles).findOne({ where: { id } });
  }

  async insert(values: Partial<KnowledgeArticle>, manager: EntityManager): Promise<KnowledgeArticle> {
    const repository = manager.getRepository(KnowledgeArticle);
    return repository.save(repository.create(values));
  }

  /** Writes the changes only if the article is still at `version`, bumping it; false when someone else saved first. */
  async updateIfVersion(
    id: number,
    version: number,
    changes: Partial<Pick<KnowledgeArticle, 'title' | 'body' | 'categoryId' | 'tags' | 'status' | 'updatedById'>>,
    updatedAt: Date,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(KnowledgeArticle)
      .set({ ...changes, updatedAt, version: version + 1 })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
  }

  /** Replaces the article's rows of the term index (inside the caller's transaction, with the article's write). */
  async replaceTerms(articleId: number, terms: Map<string, TermCounts>, manager: EntityManager): Promise<void> {
    const repository = manager.getRepository(KnowledgeTerm);
    await repository.delete({ articleId });
    const rows = [...terms].map(([term, counts]) => ({ term, articleId, ...counts }));
    for (let i = 0; i < rows.length; i += TERM_INSERT_CHUNK) {
      await repository.insert(rows.slice(i, i + TERM_INSERT_CHUNK));
    }
  }

  /** Ids of the newest articles matching the filter (most recently updated first) and how many match in all. */
  async newest(filter: KnowledgeFilter, offset: number, limit: number): Promise<{ ids: number[]; total: number }> {
    const query = this.articles.createQueryBuilder('a').select('a.id', 'id').where('a.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.categoryIds) query.andWhere('a.categoryId IN (:...categoryIds)', { categoryIds: filter.categoryIds });
    const total = await query.getCount();
    const rows = await query.orderBy('a.updatedAt', 'DESC').addOrderBy('a.id', 'DESC').offset(offset).limit(limit).getRawMany<{ id: number }>();
    return { ids: rows.map((row) => Number(row.id)), total };
  }

  /**
   * The articles meeting every condition, ranked: more conditions met in the title (or tags) first, then more
   * occurrences of the query's terms, then the most recently updated. Each condition reads its own rows of the
   * term index by its primary key (term = ?, or a prefix range); the articles table is only joined for the filter
   * and the tie-break, never scanned for text.
   */
  async ranked(conditions: TermCondition[], filter: KnowledgeFilter, offset: number, limit: number): Promise<{ ids: number[]; total: number }> {
    if (conditions.length === 0) return { ids: [], total: 0 };
    const { sql, parameters } = this.matchSql(conditions, filter);
    const [{ total }] = await this.articles.manager.query<{ total: number | string }[]>(`SELECT COUNT(*) AS total FROM (${sql}) x`, parameters);
    if (Number(total) === 0 || limit === 0) return { ids: [], total: Number(total) };
    const e = (name: string) => this.articles.manager.connection.driver.escape(name);
    const rows = await this.articles.manager.query<{ id: number | string }[]>(
      `${sql} ORDER BY ${e('titleMatched')} DESC, ${e('hits')} DESC, ${e('lastUpdate')} DESC, ${e('id')} DESC LIMIT ${wholeNumber(limit)} OFFSET ${wholeNumber(offset)}`,
      parameters,
    );
    return { ids: rows.map((row) => Number(row.id)), total: Number(total) };
  }

  /** The articles with these ids and their people's names, in no particular order. */
  async rowsOf(ids: number[], manager?: EntityManager): Promise<KnowledgeArticleRow[]> {
    if (ids.length === 0) return [];
    const repository = manager ? manager.getRepository(KnowledgeArticle) : this.articles;
    const articles = await repository
      .createQueryBuilder('a')
      .leftJoin('a.createdBy', 'cb')
      .leftJoin('a.updatedBy', 'ub')
      .addSelect(['cb.id', 'cb.displayName', 'ub.id', 'ub.displayName'])
      .where({ id: In(ids) })
      .getMany();
    return articles.map((article) => {
      const { createdBy, updatedBy, ...own } = article;
      return {
        article: Object.assign(new KnowledgeArticle(), own),
        createdByName: createdBy?.displayName ?? '',
        updatedByName: updatedBy?.displayName ?? '',
      };
    });
  }

  /** SELECT id, titleMatched, hits, lastUpdate of the articles meeting every condition (no order, no limit). */
  private matchSql(conditions: TermCondition[], filter: KnowledgeFilter): { sql: string; parameters: unknown[] } {
    const sqlite = this.articles.manager.connection.options.type === 'better-sqlite3';
    const e = (name: string) => this.articles.manager.connection.driver.escape(name);
    // better-sqlite3 binds a JS number as REAL: whole numbers go as BigInt (INTEGER), as the app's query builder does.
    const int = (n: number): unknown => (sqlite ? BigInt(n) : n);
    const parameters: unknown[] = [];
    const branches = conditions.map((condition, g) => {
      let where: string;
      if (condition.kind === 'exact') {
        where = `${e('term')} = ?`;
        parameters.push(condition.term);
      } else if (sqlite) {
        // GLOB is case-sensitive, so SQLite reads it as a range of the (BINARY) primary key; terms hold letters and digits only, never * ? [.
        where = `${e('term')} GLOB ?`;
        parameters.push(`${condition.term}*`);
      } else {
        // utf8mb4_bin column: a constant-prefix LIKE is a range of the primary key; terms never hold % or _.
        where = `${e('term')} LIKE ?`;
        parameters.push(`${condition.term}%`);
      }
      return `SELECT ${e('articleId')}, ${g} AS ${e('g')}, ${e('titleCount')}, ${e('bodyCount')} FROM ${e('knowledge_terms')} WHERE ${where}`;
    });
    const filters = [`a.${e('status')} IN (${filter.statuses.map(() => '?').join(', ')})`];
    parameters.push(...filter.statuses);
    if (filter.categoryIds) {
      filters.push(`a.${e('categoryId')} IN (${filter.categoryIds.map(() => '?').join(', ')})`);
      parameters.push(...filter.categoryIds.map(int));
    }
    const sql =
      `SELECT m.${e('articleId')} AS ${e('id')}, ` +
      `COUNT(DISTINCT CASE WHEN m.${e('titleCount')} > 0 THEN m.${e('g')} END) AS ${e('titleMatched')}, ` +
      `SUM(m.${e('titleCount')} + m.${e('bodyCount')}) AS ${e('hits')}, ` +
      `MAX(a.${e('updatedAt')}) AS ${e('lastUpdate')} ` +
      `FROM (${branches.join(' UNION ALL ')}) m ` +
      `INNER JOIN ${e('knowledge_articles')} a ON a.${e('id')} = m.${e('articleId')} ` +
      `WHERE ${filters.join(' AND ')} ` +
      `GROUP BY m.${e('articleId')} ` +
      `HAVING COUNT(DISTINCT m.${e('g')}) = ${wholeNumber(conditions.length)}`;
    return { sql, parameters };
  }
}

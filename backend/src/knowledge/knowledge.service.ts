import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { type CategoryTreeNode, CategoriesService } from '../categories/categories.service';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException, UnprocessableException } from '../common/exceptions';
import type { Page } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import type { Role } from '../users/role';
import type { CreateKnowledgeArticleDto, ListKnowledgeQueryDto, UpdateKnowledgeArticleDto } from './dto/knowledge.dto';
import type { KnowledgeArticleResponse, KnowledgeArticleSummaryResponse } from './dto/knowledge.response';
import type { KnowledgeArticle } from './knowledge-article.entity';
import { articleTerms, queryConditions, snippetOf } from './knowledge-terms';
import { KNOWLEDGE_EDITOR_ROLES, type KnowledgeStatus } from './knowledge.enums';
import { type KnowledgeArticleRow, type KnowledgeFilter, KnowledgeRepository } from './knowledge.repository';

export const KNOWLEDGE_TARGET_TYPE = 'knowledge_article';

export function isKnowledgeEditor(role: Role): boolean {
  return (KNOWLEDGE_EDITOR_ROLES as readonly Role[]).includes(role);
}

/** A category as a write checks it: exists, and it and everything above it active. */
interface CategoryFacts {
  node: CategoryTreeNode;
  usable: boolean;
}

/**
 * The knowledge base's rules: who sees what (editors everything, everyone else published articles only), the
 * optimistic version on every change, archiving instead of deleting, and the term index and the audit row written
 * in the article's own transaction.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly articles: KnowledgeRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly categories: CategoriesService,
    private readonly clock: Clock,
  ) {}

  async list(caller: AuthUser, query: ListKnowledgeQueryDto): Promise<Page<KnowledgeArticleSummaryResponse>> {
    const filter: KnowledgeFilter = {
      statuses: this.visibleStatuses(caller, query.status),
      categoryIds: query.categoryId === undefined ? undefined : await this.categorySubtree(query.categoryId),
    };
    const offset = (query.page - 1) * query.pageSize;
    const text = query.q?.trim() ?? '';
    const { ids, total } = text === '' ? await this.articles.newest(filter, offset, query.pageSize) : await this.articles.ranked(queryConditions(text), filter, offset, query.pageSize);
    const rows = new Map((await this.articles.rowsOf(ids)).map((row) => [row.article.id, row]));
    const paths = await this.categories.pathsOf(ids.map((id) => rows.get(id)?.article.categoryId).filter((id): id is number => typeof id === 'number'));
    const items = ids.flatMap((id) => {
      const row = rows.get(id);
      if (!row) return [];
      const { body, ...fields } = view(row, paths);
      return [{ ...fields, snippet: snippetOf(body, text || undefined) }];
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async get(caller: AuthUser, id: number): Promise<KnowledgeArticleResponse> {
    const [row] = await this.articles.rowsOf([id]);
    if (!row || !this.canSee(caller, row.article.status)) throw notFound(id);
    return this.viewOf(row);
  }

  async create(caller: AuthUser, actor: AuditActor, dto: CreateKnowledgeArticleDto): Promise<KnowledgeArticleResponse> {
    const categoryId = dto.categoryId ?? null;
    if (categoryId !== null) await this.requireUsableCategory(categoryId);
    const now = this.clock.now();
    const tags = dto.tags ?? [];
    const row = await this.transactions.run(async (manager) => {
      const article = await this.articles.insert(
        {
          title: dto.title.trim(),
          body: dto.body,
          categoryId,
          tags: JSON.stringify(tags),
          status: dto.status ?? 'draft',
          version: 1,
          createdById: caller.id,
          updatedById: caller.id,
          createdAt: now,
          updatedAt: now,
        },
        manager,
      );
      await this.articles.replaceTerms(article.id, articleTerms({ title: article.title, tags, body: article.body }), manager);
      await this.audit.record({ actor, action: 'knowledge.article.create', targetType: KNOWLEDGE_TARGET_TYPE, targetId: article.id, details: { before: null, after: auditImage(article) } }, manager);
      return this.requireRow(article.id, manager);
    });
    return this.viewOf(row);
  }

  async update(caller: AuthUser, actor: AuditActor, id: number, dto: UpdateKnowledgeArticleDto): Promise<KnowledgeArticleResponse> {
    const { version, ...changes } = dto;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new BadRequestException('Give at least one of title, body, categoryId, tags, status to change (besides version)');
    }
    const row = await this.transactions.run(async (manager) => {
      const article = await this.articles.findById(id, manager);
      if (!article) throw notFound(id);
      if (article.version !== version) throw stale(article);
      if (changes.categoryId !== undefined && changes.categoryId !== null && changes.categoryId !== article.categoryId) {
        await this.requireUsableCategory(changes.categoryId);
      }
      const next: Partial<KnowledgeArticle> = { updatedById: caller.id };
      if (changes.title !== undefined) next.title = changes.title.trim();
      if (changes.body !== undefined) next.body = changes.body;
      if (changes.categoryId !== undefined) next.categoryId = changes.categoryId;
      if (changes.tags !== undefined) next.tags = JSON.stringify(changes.tags);
      if (changes.status !== undefined) next.status = changes.status;
      if (!(await this.articles.updateIfVersion(id, version, next, this.clock.now(), manager))) {
        // Saved by someone else between the read and the write (MariaDB: the row lock made this one wait for it).
        throw stale((await this.articles.findById(id, manager)) ?? article);
      }
      const updated = await this.requireRow(id, manager);
      const after = updated.article;
      if (next.title !== undefined || next.body !== undefined || next.tags !== undefined) {
        await this.articles.replaceTerms(id, articleTerms({ title: after.title, tags: tagsOf(after), body: after.body }), manager);
      }
      await this.audit.record({ actor, action: 'knowledge.article.update', targetType: KNOWLEDGE_TARGET_TYPE, targetId: id, details: { before: auditImage(article), after: auditImage(after) } }, manager);
      return updated;
    });
    return this.viewOf(row);
  }

  /** DELETE archives: the article and its history stay; editors can still list it (status=archived) and restore it. */
  async archive(caller: AuthUser, actor: AuditActor, id: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const article = await this.articles.findById(id, manager);
      if (!article) throw notFound(id);
      if (article.status === 'archived') return;
      if (!(await this.articles.updateIfVersion(id, article.version, { status: 'archived', updatedById: caller.id }, this.clock.now(), manager))) {
        throw stale((await this.articles.findById(id, manager)) ?? article);
      }
      const after = (await this.articles.findById(id, manager)) ?? article;
      await this.audit.record({ actor, action: 'knowledge.article.archive', targetType: KNOWLEDGE_TARGET_TYPE, targetId: id, details: { before: auditImage(article), after: auditImage(after) } }, manager);
    });
  }

  private canSee(caller: AuthUser, status: KnowledgeStatus): boolean {
    return status === 'published' || isKnowledgeEditor(caller.role);
  }

  private visibleStatuses(caller: AuthUser, asked: KnowledgeStatus | undefined): readonly KnowledgeStatus[] {
    if (!isKnowledgeEditor(caller.role)) {
      if (asked !== undefined && asked !== 'published') {
        throw new ForbiddenException(`Only editors (${KNOWLEDGE_EDITOR_ROLES.join(', ')}) see ${asked} articles: leave status out or ask for published`);
      }
      return ['published'];
    }
    return asked === undefined ? ['draft', 'published'] : [asked];
  }

  private async requireRow(id: number, manager: EntityManager): Promise<KnowledgeArticleRow> {
    const [row] = await this.articles.rowsOf([id], manager);
    if (!row) throw notFound(id);
    return row;
  }

  private async viewOf(row: KnowledgeArticleRow): Promise<KnowledgeArticleResponse> {
    const paths = row.article.categoryId === null ? new Map<number, string>() : await this.categories.pathsOf([row.article.categoryId]);
    return view(row, paths);
  }

  private async categoryFacts(): Promise<Map<number, CategoryFacts>> {
    const facts = new Map<number, CategoryFacts>();
    const walk = (nodes: CategoryTreeNode[], ancestorsActive: boolean) => {
      for (const node of nodes) {
        const usable = ancestorsActive && node.active;
        facts.set(node.id, { node, usable });
        walk(node.children, usable);
      }
    };
    walk(await this.categories.tree(), true);
    return facts;
  }

  private async requireUsableCategory(id: number): Promise<void> {
    const facts = (await this.categoryFacts()).get(id);
    if (!facts) throw new UnprocessableException(`Category ${id} does not exist`, { categoryId: id });
    if (!facts.usable) throw new UnprocessableException(`Category ${id} (${facts.node.name}) is no longer in use`, { categoryId: id });
  }

  /** The category and every category below it. */
  private async categorySubtree(id: number): Promise<number[]> {
    const facts = (await this.categoryFacts()).get(id);
    if (!facts) throw new UnprocessableException(`Category ${id} does not exist`, { categoryId: id });
    const ids: number[] = [];
    const collect = (node: CategoryTreeNode) => {
      ids.push(node.id);
      node.children.forEach(collect);
    };
    collect(facts.node);
    return ids;
  }
}

function tagsOf(article: KnowledgeArticle): string[] {
  try {
    const tags: unknown = JSON.parse(article.tags);
    return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
  } catch {
    return [];
  }
}

function view(row: KnowledgeArticleRow, paths: Map<number, string>): KnowledgeArticleResponse {
  const { article } = row;
  return {
    id: article.id,
    title: article.title,
    body: article.body,
    categoryId: article.categoryId,
    categoryPath: article.categoryId === null ? null : (paths.get(article.categoryId) ?? null),
    tags: tagsOf(article),
    status: article.status,
    version: article.version,
    createdById: article.createdById,
    createdByName: row.createdByName,
    updatedById: article.updatedById,
    updatedByName: row.updatedByName,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
  };
}

/**
 * The article as the audit trail keeps it. The body (up to 20,000 characters) stands as its length and a digest:
 * two images of it would not fit the trail's TEXT column, and the article itself is never deleted.
 */
function auditImage(article: KnowledgeArticle): Record<string, unknown> {
  return {
    title: article.title,
    categoryId: article.categoryId,
    tags: tagsOf(article),
    status: article.status,
    version: article.version,
    bodyLength: [...article.body].length,
    bodySha256: createHash('sha256').update(article.body).digest('hex'),
  };
}

function notFound(id: number): NotFoundException {
  return new NotFoundException(`Knowledge article ${id} does not exist`);
}

function stale(current: KnowledgeArticle): ConflictWithDetailsException {
  return new ConflictWithDetailsException(`Knowledge article ${current.id} was changed by someone else (version ${current.version}): reload it and try again`, {
    currentVersion: current.version,
    status: current.status,
  });
}

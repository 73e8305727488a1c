import { Injectable } from '@nestjs/common';
import { auditActorOf } from '../audit/audit-actor';
import { type CategoryTreeNode, CategoriesService } from '../categories/categories.service';
import { Clock } from '../common/clock';
import { UserAccountsService } from '../users/user-accounts.service';
import { UsersService } from '../users/users.service';
import { DEMO_ARTICLES } from './demo-articles';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';

const DAY = 24 * 60 * 60_000;
/** The demo editor: the supervision office keeps the knowledge base. */
const DEMO_EDITOR = 'supervisor1';

/**
 * The demo city's knowledge base (demo-articles.ts), written through the service like an editor would (so the term
 * index and the audit trail are what real use makes). The demo seeding calls it once the organisation exists.
 */
@Injectable()
export class KnowledgeDemoService {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly articles: KnowledgeRepository,
    private readonly categories: CategoriesService,
    private readonly accounts: UserAccountsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /** Writes the demo articles into an empty knowledge base; returns how many (0 when it had articles, or no demo editor). */
  async seedDemoArticles(): Promise<number> {
    if (await this.articles.hasArticles()) return 0;
    const account = await this.accounts.findByUsername(DEMO_EDITOR);
    const editor = account ? await this.users.findActiveAuthUser(account.id) : null;
    if (!editor) return 0;
    const actor = auditActorOf(editor, null);
    const categoryIds = new Map<string, number>();
    const walk = (nodes: CategoryTreeNode[]) => nodes.forEach((node) => (categoryIds.set(node.code, node.id), walk(node.children)));
    walk(await this.categories.tree());
    const now = Date.now();
    let written = 0;
    try {
      // Oldest first, so that ids and times agree.
      for (const demo of [...DEMO_ARTICLES].sort((a, b) => b.daysAgo - a.daysAgo)) {
        this.clock.set(new Date(now - demo.daysAgo * DAY - (written + 1) * 60_000));
        const categoryId = demo.category === null ? null : (categoryIds.get(demo.category) ?? null);
        const status = demo.status === 'archived' ? 'published' : demo.status;
        const article = await this.knowledge.create(editor, actor, { title: demo.title, body: demo.body, categoryId, tags: demo.tags, status });
        if (demo.status === 'archived') await this.knowledge.archive(editor, actor, article.id);
        written++;
      }
    } finally {
      this.clock.set(null);
    }
    return written;
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Category } from '../categories/category.entity';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS, InvalidatedCache } from '../cluster/invalidated-cache';
import { UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { REQUEST_TYPES, URGENCIES, type RequestType, type Urgency } from '../work-orders/work-order.enums';
import { defaultLimits, LIMIT_NAMES, scopeKeyOf, type Limits } from './deadline-limits';
import type { DeadlineRule } from './deadline-rule.entity';
import { DeadlineRulesRepository } from './deadline-rules.repository';
import type { DeadlineRuleDto, ReplaceDeadlineRulesDto } from './dto/deadline-rules.dto';
import type { DeadlineRuleResponse, DeadlineRulesResponse } from './dto/deadline-rules.response';

export const RULE_TARGET_TYPE = 'deadline_rule';

const MAX_WORKING_DAYS = 3650;

export interface RuleScope {
  requestType: RequestType;
  urgency: Urgency;
  categoryId: number;
}

/** Category id → parent id, for finding an override on a category above the order's (leaf) category. */
export type CategoryParents = ReadonlyMap<number, number | null>;

/** The keys to try, most specific first: the order's category, each category above it, then the general rule. */
function scopeKeysOf(order: RuleScope, parents: CategoryParents): string[] {
  const keys: string[] = [];
  let categoryId: number | null | undefined = order.categoryId;
  // The tree has three levels; the bound only guards against a cycle written into the table by hand.
  for (let depth = 0; categoryId !== null && categoryId !== undefined && depth < 10; depth++) {
    keys.push(scopeKeyOf(order.requestType, order.urgency, categoryId));
    categoryId = parents.get(categoryId);
  }
  keys.push(scopeKeyOf(order.requestType, order.urgency, null));
  return keys;
}

/**
 * The override of the order's category or of the nearest category above it, else the request type × urgency
 * rule (else the built-in defaults).
 */
function pickLimits(byKey: ReadonlyMap<string, DeadlineRule>, order: RuleScope, parents: CategoryParents): Limits {
  const key = scopeKeysOf(order, parents).find((k) => byKey.has(k));
  const row = key === undefined ? undefined : byKey.get(key);
  // The PUT keeps every general rule present; the built-in defaults only cover a table emptied by hand.
  return row ? limitsOf(row) : defaultLimits(order.requestType, order.urgency);
}

/** The whole rule table and the category parents, as one process holds them. */
interface RuleIndex {
  byKey: Map<string, DeadlineRule>;
  parents: CategoryParents;
}

/**
 * The admins' time-limit table: one rule per request type × urgency, and optional category overrides of it.
 * Every registration and transition needs the limits, so each process keeps the (small) table and the category
 * parents in memory; a change publishes `cache.deadlineRules` once committed (a category change `cache.categories`),
 * which drops every process's copy at once, and no copy is older than CACHE_SAFETY_TTL_MS.
 */
@Injectable()
export class DeadlineRulesService {
  private readonly index = new InvalidatedCache<RuleIndex>(() => this.readIndex());

  constructor(
    private readonly rules: DeadlineRulesRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly bus: ClusterBus,
  ) {
    const invalidate = () => this.index.invalidate();
    bus.subscribe(CACHE_CHANNELS.deadlineRules, invalidate);
    bus.subscribe(CACHE_CHANNELS.categories, invalidate);
  }

  async list(): Promise<DeadlineRulesResponse> {
    return { items: sortRules((await this.rules.findAll()).map(view)) };
  }

  /** The limits of an order: the override of its category or the nearest one above, else its request type × urgency rule. */
  async limitsFor(order: RuleScope, manager?: EntityManager): Promise<Limits> {
    // Inside a transaction without a fresh copy, the table is read with its manager (no second pooled connection while it
    // holds one) and not kept: that read sees the transaction's snapshot, which may predate a change just published.
    const cached = this.index.peek();
    const { byKey, parents } = await (cached ?? (manager ? this.readIndex(manager) : this.index.get()));
    return pickLimits(byKey, order, parents);
  }

  /** The whole table at once, for code that looks up many orders at a time (the escalation tick). */
  async lookup(): Promise<(order: RuleScope) => Limits> {
    const { byKey, parents } = await this.index.get();
    return (order) => pickLimits(byKey, order, parents);
  }

  private async readIndex(manager?: EntityManager): Promise<RuleIndex> {
    const rows = await this.rules.findAll(manager);
    const parents = await this.rules.categoryParents(manager);
    return { byKey: new Map(rows.map((r) => [r.scopeKey, r])), parents };
  }

  /** Replaces the whole table in one transaction; every created, changed or removed rule gets its audit row. */
  async replace(dto: ReplaceDeadlineRulesDto, actor: AuditActor): Promise<DeadlineRulesResponse> {
    const wanted = new Map<string, DeadlineRuleDto>();
    for (const [index, item] of dto.items.entries()) {
      checkLimits(item, index);
      const key = scopeKeyOf(item.requestType, item.urgency, item.categoryId ?? null);
      if (wanted.has(key)) throw new UnprocessableException(`items[${index}]: there is already a rule for ${describeScope(item)}`, { scopeKey: key });
      wanted.set(key, item);
    }
    const missing = REQUEST_TYPES.flatMap((t) => URGENCIES.map((u) => ({ requestType: t, urgency: u }))).filter((s) => !wanted.has(scopeKeyOf(s.requestType, s.urgency, null)));
    if (missing.length > 0) {
      throw new UnprocessableException(
        `Every request type × urgency needs its rule (without categoryId); missing: ${missing.map((s) => `${s.requestType}/${s.urgency}`).join(', ')}`,
        { missing },
      );
    }
    await this.transactions.run(async (manager) => {
      const categoryIds = [...new Set([...wanted.values()].map((i) => i.categoryId).filter((c): c is number => typeof c === 'number'))];
      if (categoryIds.length > 0) {
        const found = new Set((await manager.getRepository(Category).findBy({ id: In(categoryIds) })).map((c) => c.id));
        const unknown = categoryIds.filter((c) => !found.has(c));
        if (unknown.length > 0) throw new UnprocessableException(`Categories ${unknown.join(', ')} do not exist`, { categoryIds: unknown });
      }
      const existing = new Map((await this.rules.findAll(manager)).map((r) => [r.scopeKey, r]));
      const toSave: DeadlineRule[] = [];
      const changes: { key: string; before: DeadlineRuleResponse | null; after: DeadlineRuleResponse | null; action: string }[] = [];
      for (const [key, item] of wanted) {
        const row = existing.get(key);
        const before = row ? view(row) : null;
        const next = row ?? this.rules.create({ scopeKey: key, requestType: item.requestType, urgency: item.urgency, categoryId: item.categoryId ?? null }, manager);
        for (const name of LIMIT_NAMES) {
          next[`${name}Amount`] = item.limits[name].amount;
          next[`${name}Unit`] = item.limits[name].unit;
        }
        const after = view(next);
        if (before && JSON.stringify(before) === JSON.stringify(after)) continue;
        next.updatedById = actor.id;
        toSave.push(next);
        changes.push({ key, before, after, action: before ? 'deadline.rule.update' : 'deadline.rule.create' });
      }
      const removed = [...existing.values()].filter((r) => !wanted.has(r.scopeKey));
      await this.rules.delete(
        removed.map((r) => r.id),
        manager,
      );
      for (const r of removed) changes.push({ key: r.scopeKey, before: view(r), after: null, action: 'deadline.rule.delete' });
      await this.rules.save(toSave, manager);
      for (const change of changes) {
        await this.audit.record(
          { actor, action: change.action, targetType: RULE_TARGET_TYPE, targetId: change.key, details: { before: change.before, after: change.after } },
          manager,
        );
      }
    });
    // Committed: every process drops its copy of the table.
    this.bus.publish(CACHE_CHANNELS.deadlineRules);
    return this.list();
  }
}

/** What the API shows of a rule. */
function view(row: DeadlineRule): DeadlineRuleResponse {
  return { requestType: row.requestType, urgency: row.urgency, categoryId: row.categoryId, limits: limitsOf(row) };
}

function limitsOf(row: DeadlineRule): Limits {
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, { amount: Number(row[`${name}Amount`]), unit: row[`${name}Unit`] }])) as Limits;
}

function sortRules(rules: DeadlineRuleResponse[]): DeadlineRuleResponse[] {
  const rank = (r: DeadlineRuleResponse) => [REQUEST_TYPES.indexOf(r.requestType), URGENCIES.indexOf(r.urgency), r.categoryId ?? 0];
  return rules.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

function describeScope(item: DeadlineRuleDto): string {
  return `${item.requestType}/${item.urgency}${item.categoryId ? ` in category ${item.categoryId}` : ''}`;
}

/** The checks the DTO's decorators cannot make: whole working days, and a cap counted in working time. */
function checkLimits(item: DeadlineRuleDto, index: number): void {
  for (const name of LIMIT_NAMES) {
    const { amount, unit } = item.limits[name];
    const where = `items[${index}] (${describeScope(item)}) limits.${name}`;
    if (unit === 'working_days' && (!Number.isInteger(amount) || amount > MAX_WORKING_DAYS)) {
      throw new UnprocessableException(`${where}: working_days must be a whole number from 1 to ${MAX_WORKING_DAYS}, got ${amount}`);
    }
  }
  if (item.limits.extensionCap.unit === 'calendar_hours') {
    throw new UnprocessableException(`items[${index}] (${describeScope(item)}) limits.extensionCap: extensions are counted in working time: use working_days or working_hours`);
  }
}

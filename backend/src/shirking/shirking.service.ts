import { type BeforeApplicationShutdown, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { WorkAfterAnswer } from '../common/work-after-answer';
import { UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus } from '../events/app-events';
import { NotificationsService } from '../notifications/notifications.service';
import { UnitsService } from '../units/units.service';
import type { TimelineActor } from '../work-orders/timeline-actor';
import type { TimelineAction } from '../work-orders/work-order.enums';
import type { ResolveFlagDto, ShirkingPeriodQueryDto, ShirkingQueueQueryDto } from './dto/shirking-query.dto';
import type { ShirkingFlag } from './entities/shirking-flag.entity';
import { DISPUTE_RULES, SHIRKING_RULES, type ShirkingRule } from './shirking.enums';
import { ShirkingRepository, type FlaggedOrder } from './shirking.repository';
import { evaluateShirking, type FiredRule } from './shirking-rules';
import type { ShirkingFlagView, ShirkingOrderView, ShirkingQueueView, ShirkingUnitsView } from './shirking.view';

/** The actor of the detector's timeline events: no user, like the deadline scheduler's. */
const SHIRKING_ACTOR: TimelineActor = { actorId: null, actorName: 'system', actorRole: null, unitId: null, unitName: null };

/** The order events after which a rule may fire (or a ruling settles the dispute flags). */
const TRIGGERS: readonly TimelineAction[] = [
  'dispatch',
  'recall',
  'rule',
  'return',
  'approve-return',
  'reject-return',
  'accept',
  'remind',
  'overdue',
  'supervise',
  'escalate',
  'reject-reply',
  'callback',
  'reopen',
  'repeat-detected',
  'mark-repeat',
  // Written on the earlier order when a repeat of it arrives.
  'repeat-received',
];

/** Events that make an earlier order (the one repeated) worth another look. */
const REPEAT_EVENTS: readonly TimelineAction[] = ['repeat-detected', 'mark-repeat'];

const DAY_MS = 86_400_000;
/** The per-unit figures cover at most this much time; by default the last 30 days. */
const MAX_PERIOD_DAYS = 366;
const DEFAULT_PERIOD_DAYS = 30;

/** What an evaluation changed, for the timeline, the announcement and the tests. */
export interface EvaluationResult {
  raised: FiredRule[];
  grown: FiredRule[];
  becameDisputed: boolean;
  resolvedByRuling: number;
}

/**
 * 推诿扯皮: shirking detection (docs/shirking.md). After every order event that can make a rule fire, the order's
 * history is evaluated again (shirking-rules.ts) under a lock of its row: a new rule raises a flag (one per order and
 * rule), a rule that finds more updates its flag, each with a timeline event `shirking-flagged`; a dispute rule on a
 * top-level order makes it disputed (争议件, timeline `disputed`, the center's supervisors are told). A ruling settles
 * the open dispute flags. The evaluations of this process run one after another; `settled()` waits for them.
 */
@Injectable()
export class ShirkingService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShirkingService.name);
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: ShirkingRepository,
    private readonly transactions: TransactionService,
    private readonly units: UnitsService,
    private readonly notifications: NotificationsService,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
    private readonly afterAnswer: WorkAfterAnswer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Called by the listener for every `workOrder.changed`: queues the evaluations the event calls for. */
  onOrderChanged(workOrderId: number, action: TimelineAction, actorId: number | null): void {
    if (!TRIGGERS.includes(action)) return;
    this.enqueue(async () => {
      await this.evaluate(workOrderId, action, actorId);
      if (REPEAT_EVENTS.includes(action)) {
        const original = await this.repository.repeatOfId(workOrderId);
        if (original !== null) await this.evaluate(original, action, null);
      }
    });
  }

  /** A graceful stop lets the evaluations already queued finish before the database connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /** Resolves once every evaluation queued so far has run (tests wait on it instead of sleeping). */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.pending;
      await current;
    } while (current !== this.pending);
  }

  /** Evaluates the rules on one order now and stores what is new; after the commit, consoles are told. */
  async evaluate(workOrderId: number, trigger: TimelineAction | null = null, actorId: number | null = null): Promise<EvaluationResult> {
    const now = this.clock.now();
    // Read before the transaction: inside it a reload of the unit tree would need a second pooled connection.
    const center = await this.units.centerUnit();
    const outcome = await this.transactions.run(async (manager) => {
      const order = await this.repository.lockOrder(workOrderId, manager);
      if (!order) return null;
      const history = await this.repository.history(order, manager);
      const verdict = evaluateShirking(history, this.config.shirking);
      const existing = new Map((await this.repository.flagsOf(order.id, manager)).map((flag) => [flag.rule, flag]));
      // The unit tree was loaded before the transaction (centerUnit): these look-ups stay in memory.
      const names = await this.namesOf(verdict.fired.flatMap((fired) => [fired.unitId, ...unitIdsIn(fired.reasons)]));
      const result: EvaluationResult = { raised: [], grown: [], becameDisputed: false, resolvedByRuling: 0 };
      for (const fired of verdict.fired) {
        const reasons = withUnitNames(fired.reasons, names);
        const flag = existing.get(fired.rule);
        if (!flag) {
          await this.repository.insertFlag(
            { workOrderId: order.id, unitId: fired.unitId, rule: fired.rule, count: fired.count, reasons, createdAt: now, flaggedAt: now, resolvedAt: null, resolvedById: null, resolution: null },
            manager,
          );
          result.raised.push(fired);
        } else if (fired.count > flag.count) {
          // More of the same: the flag says so, and is open again if someone had resolved it.
          await this.repository.updateFlag(flag.id, { unitId: fired.unitId, count: fired.count, reasons, flaggedAt: now, resolvedAt: null, resolvedById: null, resolution: null }, manager);
          result.grown.push(fired);
        } else if (fired.unitId !== flag.unitId || JSON.stringify(reasons) !== JSON.stringify(flag.reasons)) {
          // The same count, told better (e.g. a return since decided): the reasons follow, without a new timeline event.
          await this.repository.updateFlag(flag.id, { unitId: fired.unitId, reasons }, manager);
        }
      }
      if (trigger === 'rule') {
        for (const flag of existing.values()) {
          if (!DISPUTE_RULES.includes(flag.rule) || flag.resolvedAt !== null) continue;
          await this.repository.updateFlag(flag.id, { resolvedAt: now, resolvedById: actorId, resolution: 'ruling' }, manager);
          result.resolvedByRuling++;
        }
      }
      if (verdict.disputed && !order.disputed) {
        await this.repository.markDisputed(order.id, manager);
        result.becameDisputed = true;
      }
      await this.record(order, result, names, now, manager, center?.id ?? null);
      return { order, result };
    });
    if (!outcome) return { raised: [], grown: [], becameDisputed: false, resolvedByRuling: 0 };
    const { order, result } = outcome;
    if (result.raised.length + result.grown.length > 0 || result.becameDisputed) await this.announce(order, result.becameDisputed ? 'disputed' : 'shirking-flagged', now, center?.id ?? null);
    return result;
  }

  /** GET /api/shirking: flagged orders, the most recently flagged first, with every flag of each. */
  async queue(caller: AuthUser, query: ShirkingQueueQueryDto): Promise<ShirkingQueueView> {
    this.requireCenter(caller);
    let unitIds: number[] | null = null;
    if (query.unitId !== undefined) {
      if (!(await this.units.find(query.unitId))) throw new UnprocessableException(`Unit ${query.unitId} does not exist`);
      unitIds = await this.units.subtreeIds(query.unitId);
    }
    const from = query.from !== undefined ? new Date(query.from) : null;
    const to = query.to !== undefined ? new Date(query.to) : null;
    if (from && to && from >= to) throw new UnprocessableException('from must be before to');
    const page = await this.repository.queuePage(
      { unitIds, rule: query.rule ?? null, from, to, disputedOnly: query.disputed === true, openOnly: query.open === true },
      query.page,
      query.pageSize,
    );
    const ids = page.ids.map((row) => row.id);
    const [orders, flags] = await Promise.all([this.repository.ordersByIds(ids), this.repository.flagsOfOrders(ids)]);
    const names = await this.namesOf([...orders.flatMap((o) => [o.leadUnitId, o.ruledUnitId]), ...flags.flatMap((f) => [f.unitId])]);
    const byId = new Map(orders.map((order) => [order.id, order]));
    const items = page.ids.flatMap(({ id, lastFlaggedAt }) => {
      const order = byId.get(id);
      if (!order) return [];
      return [{ order: orderView(order, names), flags: flags.filter((f) => f.workOrderId === id).map((f) => flagView(f, names)), lastFlaggedAt }];
    });
    return { items, total: page.total, page: query.page, pageSize: query.pageSize };
  }

  /** GET /api/shirking/units: per unit, flagged orders, returns, bounces and the return rate of a period. */
  async unitCounts(caller: AuthUser, query: ShirkingPeriodQueryDto): Promise<ShirkingUnitsView> {
    this.requireCenter(caller);
    const now = this.clock.now();
    const to = query.to !== undefined ? new Date(query.to) : now;
    const from = query.from !== undefined ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
    if (from >= to) throw new UnprocessableException('from must be before to');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw new UnprocessableException(`The period may span at most ${MAX_PERIOD_DAYS} days`);
    const figures = await this.repository.unitFigures({ from, to });
    const unitIds = new Set<number>([...figures.returns.keys(), ...figures.flags.keys(), ...figures.kept.keys()]);
    const units = [];
    for (const unitId of unitIds) {
      const unit = await this.units.find(unitId);
      if (!unit || unit.type === 'center') continue;
      const returns = figures.returns.get(unitId) ?? { returns: 0, orders: 0 };
      const flags = figures.flags.get(unitId);
      const receivedOrders = returns.orders + (figures.kept.get(unitId) ?? 0);
      units.push({
        unitId,
        unitCode: unit.code,
        unitName: unit.name,
        flaggedOrders: flags?.orders ?? 0,
        flagsByRule: SHIRKING_RULES.flatMap((rule) => {
          const count = flags?.byRule.get(rule) ?? 0;
          return count > 0 ? [{ rule, count }] : [];
        }),
        returns: returns.returns,
        returnedOrders: returns.orders,
        bounces: flags?.byRule.get('bounced') ?? 0,
        receivedOrders,
        returnRate: receivedOrders === 0 ? 0 : Math.round((returns.orders / receivedOrders) * 10_000) / 10_000,
      });
    }
    units.sort((a, b) => b.flaggedOrders - a.flaggedOrders || b.returns - a.returns || a.unitId - b.unitId);
    return { from, to, units };
  }

  /** A supervisor marks a flag as dealt with (it opens again if its rule later finds more). */
  async resolve(caller: AuthUser, flagId: number, dto: ResolveFlagDto): Promise<ShirkingFlagView> {
    const now = this.clock.now();
    const flag = await this.transactions.run(async (manager) => {
      const found = await this.repository.lockFlag(flagId, manager);
      if (!found) throw new NotFoundException(`Shirking flag ${flagId} does not exist`);
      if (found.resolvedAt !== null) throw new ConflictException(`Shirking flag ${flagId} was already resolved at ${found.resolvedAt.toISOString()}`);
      const changes = { resolvedAt: now, resolvedById: caller.id, resolution: dto.note ?? null };
      await this.repository.updateFlag(found.id, changes, manager);
      return { ...found, ...changes };
    });
    return flagView(flag, await this.namesOf([flag.unitId]));
  }

  private requireCenter(caller: AuthUser): void {
    // The queue is the center's supervision tool: units see their orders in their own lists (documented in docs/shirking.md).
    if (caller.role !== 'supervisor' && caller.role !== 'admin' && caller.role !== 'dispatcher') {
      throw new ForbiddenException(`Role ${caller.role} may not read the shirking queue`);
    }
  }

  /** The timeline events of an evaluation, and the supervisors' notification of a new dispute, in its transaction. */
  private async record(order: FlaggedOrder, result: EvaluationResult, names: Map<number, string>, now: Date, manager: EntityManager, centerId: number | null): Promise<void> {
    const changed = [...result.raised.map((f) => ({ ...f, isNew: true })), ...result.grown.map((f) => ({ ...f, isNew: false }))];
    const base = { workOrderId: order.id, fromStatus: order.status, toStatus: order.status, ...SHIRKING_ACTOR, createdAt: now };
    if (changed.length > 0) {
      await this.repository.appendEvent(
        {
          ...base,
          action: 'shirking-flagged',
          reason: changed.map((f) => describe(f, names)).join('; '),
          payload: { flags: changed.map((f) => ({ rule: f.rule, unitId: f.unitId, unitName: nameOf(f.unitId, names), count: f.count, isNew: f.isNew })) },
        },
        manager,
      );
    }
    if (result.becameDisputed) {
      const rules = [...result.raised, ...result.grown].filter((f) => DISPUTE_RULES.includes(f.rule)).map((f) => f.rule);
      await this.repository.appendEvent({ ...base, action: 'disputed', reason: 'Disputed order (争议件): the center rules which unit handles it', payload: { rules } }, manager);
      if (centerId !== null) {
        await this.notifications.notifyUnits(
          [centerId],
          ['supervisor'],
          { kind: 'work_order.disputed', title: `争议工单 ${order.number}：${order.title}`.slice(0, 200), body: null, workOrderId: order.id, payload: { rules } },
          manager,
        );
      }
    }
  }

  /** After the commit: open consoles reload the order (the center, the lead unit and the units above it). */
  private async announce(order: FlaggedOrder, action: TimelineAction, now: Date, centerId: number | null): Promise<void> {
    try {
      const unitIds = new Set<number>(centerId !== null ? [centerId] : []);
      if (order.leadUnitId !== null) {
        unitIds.add(order.leadUnitId);
        for (const id of await this.units.ancestorIds(order.leadUnitId)) unitIds.add(id);
      }
      this.events.emit('workOrder.changed', {
        workOrderId: order.id,
        number: order.number,
        action,
        fromStatus: order.status,
        toStatus: order.status,
        version: order.version,
        actorId: null,
        unitIds: [...unitIds].sort((a, b) => a - b),
        userIds: [order.registeredById],
        at: now.toISOString(),
      });
    } catch (error) {
      this.logger.warn(`Could not announce the shirking flags of work order ${order.number}: ${(error as Error).message}`);
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch((error: unknown) => {
      // The next event of the order evaluates it again: a failed evaluation loses nothing for good.
      this.logger.error(`Shirking evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    // Also work after an answer: a stop that waits for that (the repeat screening queue's, whose marks queue
    // evaluations here after this service's own hook has run) waits for these too.
    void this.afterAnswer.track(this.pending);
  }

  /** Unit names by id, from the units service's cached tree. */
  private async namesOf(ids: (number | null)[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const id of new Set(ids)) {
      if (id === null) continue;
      const unit = await this.units.find(id);
      if (unit) names.set(id, unit.name);
    }
    return names;
  }
}

/** Every `unitId` in the reasons, however deep. */
function unitIdsIn(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(unitIdsIn);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  const own = typeof object.unitId === 'number' ? [object.unitId] : [];
  const units = Array.isArray(object.units) ? object.units.filter((u): u is number => typeof u === 'number') : [];
  return [...own, ...units, ...Object.values(object).flatMap(unitIdsIn)];
}

function nameOf(unitId: number | null, names: Map<number, string>): string | null {
  return unitId === null ? null : (names.get(unitId) ?? null);
}

/** Adds `unitName` beside every `unitId` in the reasons (the list keeps the names as they were when flagged). */
function withUnitNames(reasons: Record<string, unknown>, names: Map<number, string>): Record<string, unknown> {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, visit(inner)] as const);
    const object = Object.fromEntries(entries);
    if (typeof object.unitId === 'number' && !('unitName' in object)) object.unitName = names.get(object.unitId) ?? null;
    return object;
  };
  return visit(reasons) as Record<string, unknown>;
}

const RULE_TEXT: Record<ShirkingRule, (count: number) => string> = {
  returned: (n) => `returned ${n} times (退单)`,
  bounced: (n) => `came back ${n} time${n === 1 ? '' : 's'} to a unit that had returned it (推诿)`,
  'late-acceptance': (n) => `accepted only after a warning, or not by the deadline (${n} time${n === 1 ? '' : 's'})`,
  'reply-rejected': (n) => `reply rejected at review ${n} time${n === 1 ? '' : 's'}`,
  'callback-failed': (n) => `callback not resolved or dissatisfied ${n} time${n === 1 ? '' : 's'} (重办)`,
  reopened: (n) => `reopened ${n} time${n === 1 ? '' : 's'}`,
  'repeat-after-resolved': (n) => `${n} repeat complaint${n === 1 ? '' : 's'} after the reply (虚假答复?)`,
};

function describe(flag: FiredRule, names: Map<number, string>): string {
  const unit = nameOf(flag.unitId, names);
  return `${RULE_TEXT[flag.rule](flag.count)}${unit ? `: ${unit}` : ''}`;
}

function flagView(flag: Omit<ShirkingFlag, 'workOrder' | 'unit'>, names: Map<number, string>): ShirkingFlagView {
  return {
    id: flag.id,
    workOrderId: flag.workOrderId,
    rule: flag.rule,
    unitId: flag.unitId,
    unitName: nameOf(flag.unitId, names),
    count: flag.count,
    reasons: flag.reasons,
    createdAt: flag.createdAt,
    flaggedAt: flag.flaggedAt,
    resolvedAt: flag.resolvedAt,
    resolvedById: flag.resolvedById,
    resolution: flag.resolution,
  };
}

function orderView(order: FlaggedOrder, names: Map<number, string>): ShirkingOrderView {
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    status: order.status,
    leadUnitId: order.leadUnitId,
    leadUnitName: nameOf(order.leadUnitId, names),
    disputed: order.disputed,
    ruledUnitId: order.ruledUnitId,
    ruledUnitName: nameOf(order.ruledUnitId, names),
    ruledAt: order.ruledAt,
    returnCount: order.returnCount,
    reopenCount: order.reopenCount,
    createdAt: order.createdAt,
  };
}

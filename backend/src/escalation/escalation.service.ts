import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { EntityManager } from 'typeorm';
import { WorkingCalendarService } from '../calendar/working-calendar.service';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus } from '../events/app-events';
import { UnitsService } from '../units/units.service';
import type { NotificationContent } from '../notifications/notification.view';
import { NotificationsService } from '../notifications/notifications.service';
import type { Role } from '../users/role';
import type { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { ESCALATION_CONFIG, type EscalationConfig } from './escalation.config';
import { type DeadlineName, type EscalationPlan, type EscalationStep, STAGE, planEscalation } from './escalation-plan';
import { type ClaimChanges, type DueOrder, EscalationRepository } from './escalation.repository';
import { SYSTEM_ACTOR } from './system-actor';
import type { Limits } from '../deadlines/deadline-limits';
import { DeadlineRulesService, type RuleScope } from '../deadlines/deadline-rules.service';
import { UserAccountsService } from '../users/user-accounts.service';

export interface TickResult {
  /** Due orders read. */
  looked: number;
  /** Orders this instance wrote (the others were taken by another instance or changed by a user meanwhile). */
  claimed: number;
  /** Timeline steps written (reminders, overdue flags, supervisions, escalations). */
  steps: number;
}

/** How the notices name a deadline (the center's language; the payload keeps the column name). */
const DEADLINE_LABELS: Record<DeadlineName, string> = { dispatchDueAt: '派单', acceptDueAt: '签收', contactDueAt: '首次联系', replyDueAt: '答复' };

const TICK_INTERVAL_NAME = 'deadline-escalation-tick';
const UNIT_STAFF: readonly Role[] = ['handler', 'unit_admin'];
const CENTER_ON_RED: readonly Role[] = ['dispatcher', 'supervisor'];

/** Whom a step tells, as (units, roles) pairs; resolved to users once per tick. */
interface Audience {
  unitIds: number[];
  roles: readonly Role[];
}

interface Notice {
  userIds: number[];
  content: NotificationContent;
}

interface Planned {
  order: DueOrder;
  plan: EscalationPlan;
  /** One per step, addressees resolved. */
  notices?: Notice[];
}

/**
 * The deadline scheduler: yellow reminders (催办), red flags, automatic supervision (督办) and escalation, each a
 * timeline event of the `system` actor. Every instance ticks; the database makes each step happen exactly once
 * (see EscalationRepository.claim and docs/deployment.md "Several processes and nodes"). No state lives in the process
 * between ticks: a tick reads what is due, in order of due time, and writes where each order stands next.
 */
@Injectable()
export class EscalationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EscalationService.name);
  private running: Promise<TickResult> | null = null;

  constructor(
    private readonly repository: EscalationRepository,
    private readonly calendars: WorkingCalendarService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    private readonly units: UnitsService,
    private readonly events: AppEventBus,
    private readonly rules: DeadlineRulesService,
    private readonly users: UserAccountsService,
    @Inject(ESCALATION_CONFIG) private readonly config: EscalationConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.tickIntervalMs > 0) this.start(this.config.tickIntervalMs);
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /**
   * Ticks every `intervalMs` through @nestjs/schedule's registry (ScheduleModule is registered once, by the
   * attachments module). A tick still running when the next is due is not started twice in this process.
   */
  start(intervalMs: number): void {
    this.stop();
    this.scheduler.addInterval(TICK_INTERVAL_NAME, setInterval(() => void this.scheduledTick(), intervalMs));
  }

  /** Stops the timer (tests tick by hand with a moved clock). */
  stop(): void {
    if (this.scheduler.doesExist('interval', TICK_INTERVAL_NAME)) this.scheduler.deleteInterval(TICK_INTERVAL_NAME);
  }

  private async scheduledTick(): Promise<void> {
    if (this.running) return;
    try {
      this.running = this.tick();
      const result = await this.running;
      if (result.steps > 0) this.logger.log(`Deadline tick: ${result.looked} due, ${result.claimed} handled, ${result.steps} steps`);
    } catch (error) {
      this.logger.error(`Deadline tick failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = null;
    }
  }

  /** One pass over everything due at `now` (default: the clock), in order of due time. */
  async tick(now: Date = this.clock.now()): Promise<TickResult> {
    const calendar = await this.calendars.current();
    // Read once a tick: whether each order's limits count office minutes comes from its rules.
    const limitsOf = await this.rules.lookup();
    const audiences = new Map<string, Promise<number[]>>();
    const result: TickResult = { looked: 0, claimed: 0, steps: 0 };
    let after: { at: Date; id: number } | null = null;
    while (result.looked < this.config.maxPerTick) {
      const limit = Math.min(this.config.batchSize, this.config.maxPerTick - result.looked);
      const due = await this.repository.findDue(now, after, limit);
      if (due.length === 0) break;
      const chunks: DueOrder[][] = [];
      for (let start = 0; start < due.length; start += this.config.chunkSize) chunks.push(due.slice(start, start + this.config.chunkSize));
      // Chunks are taken in order of due time; on MySQL/MariaDB a few run side by side (their orders are disjoint),
      // SQLite runs one transaction at a time anyway.
      let next = 0;
      const parallel = this.repository.runsOneTransactionAtATime ? 1 : this.config.parallelChunks;
      const worker = async () => {
        while (next < chunks.length) {
          const done = await this.handleChunk(chunks[next++], now, calendar, limitsOf, audiences);
          result.claimed += done.claimed;
          result.steps += done.steps;
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, worker));
      result.looked += due.length;
      const last = due[due.length - 1];
      after = { at: last.deadlineCheckAt, id: last.id };
      if (due.length < limit) break;
    }
    return result;
  }

  /**
   * One transaction for a chunk of due orders (one commit per chunk, not per order). Should it fail, each order is
   * tried alone, so that one bad order does not hold back the others; an order that fails alone is looked at again
   * an hour later instead of at every tick.
   */
  private async handleChunk(
    chunk: DueOrder[],
    now: Date,
    calendar: WorkingCalendar,
    limitsOf: (order: RuleScope) => Limits,
    audiences: Map<string, Promise<number[]>>,
  ) {
    const since = await this.repository.overdueSince(chunk.filter((o) => o.escalationStage >= STAGE.supervised).map((o) => o.id));
    const planned: Planned[] = [];
    for (const order of chunk) {
      try {
        planned.push({ order, plan: planEscalation({ ...order, limits: limitsOf(order) }, now, calendar, this.config, since.get(order.id) ?? null) });
      } catch (error) {
        this.logger.error(`Cannot plan the deadlines of work order ${order.number}: ${(error as Error).message}`);
        planned.push({ order, plan: { steps: [], warningLevel: order.warningLevel, escalationStage: order.escalationStage, nextCheckAt: new Date(now.getTime() + 3_600_000) } });
      }
    }
    await this.keepChildrenWithinParents(planned, now);
    // Addressees are read before the transaction: inside it a read would take a second pooled connection.
    for (const one of planned) {
      one.notices = [];
      for (const step of one.plan.steps) {
        const { audience, content } = await this.notice(one.order, step, calendar, audiences);
        const userIds = new Set<number>();
        for (const part of audience) for (const id of await this.usersOf(part, audiences)) userIds.add(id);
        one.notices.push({ userIds: [...userIds].sort((a, b) => a - b), content });
      }
    }
    try {
      const done = await this.transactions.run((manager) => this.write(planned, now, manager));
      await this.announce(done.changed, now);
      return done;
    } catch (error) {
      this.logger.warn(`A chunk of ${planned.length} due orders failed (${(error as Error).message}); trying them one by one`);
      const total = { claimed: 0, steps: 0 };
      for (const one of planned) {
        try {
          const done = await this.transactions.run((manager) => this.write([one], now, manager));
          await this.announce(done.changed, now);
          total.claimed += done.claimed;
          total.steps += done.steps;
        } catch (alone) {
          this.logger.error(`Deadline steps of work order ${one.order.number} failed: ${(alone as Error).message}`);
          await this.transactions
            .run((manager) => this.repository.claim(one.order, { warningLevel: one.order.warningLevel, escalationStage: one.order.escalationStage, deadlineCheckAt: new Date(now.getTime() + 3_600_000), bumpVersion: false }, manager))
            .catch(() => undefined);
        }
      }
      return total;
    }
  }

  /**
   * A child order (下派) is never due after its parent: the automatic supervision's new reply deadline stops at the
   * parent's when that is still ahead (a parent already overdue is escalated on its own; the child keeps its new one).
   */
  private async keepChildrenWithinParents(planned: Planned[], now: Date): Promise<void> {
    const children = planned.filter(({ order, plan }) => order.parentId !== null && plan.replyDueAt !== undefined);
    if (children.length === 0) return;
    const parents = await this.repository.replyDueAtOf([...new Set(children.map(({ order }) => order.parentId as number))]);
    for (const { order, plan } of children) {
      const cap = parents.get(order.parentId as number) ?? null;
      if (cap === null || cap <= now || plan.replyDueAt === undefined || plan.replyDueAt <= cap) continue;
      plan.replyDueAt = cap;
      for (const step of plan.steps) if (step.kind === 'supervise') step.replyDueAt = cap;
    }
  }

  private async write(planned: Planned[], now: Date, manager: EntityManager) {
    const claims = planned.map(({ order, plan }) => {
      const reminders = plan.steps.filter((s) => s.kind === 'remind').length;
      const changesOrder = plan.steps.length > 0 || warningChangedAlone(order, plan);
      const changes: ClaimChanges = {
        warningLevel: plan.warningLevel,
        escalationStage: plan.escalationStage,
        deadlineCheckAt: plan.nextCheckAt,
        bumpVersion: changesOrder,
        ...(reminders > 0 ? { reminderCount: order.reminderCount + reminders } : {}),
        ...(plan.replyDueAt ? { supervised: true, replyDueAt: plan.replyDueAt } : {}),
        ...(changesOrder ? { updatedAt: now } : {}),
      };
      return { order, changes };
    });
    const won = await this.repository.claimMany(claims, manager);
    const events: Omit<WorkOrderEvent, 'id' | 'workOrder'>[] = [];
    const notices: Notice[] = [];
    for (const { order, plan, notices: ofOrder } of planned) {
      if (!won.has(order.id)) continue;
      for (const step of plan.steps) {
        events.push({ workOrderId: order.id, action: step.kind, fromStatus: order.status, toStatus: order.status, ...SYSTEM_ACTOR, ...this.describe(step), createdAt: now });
      }
      if (warningChangedAlone(order, plan)) {
        // No step says it (a remind turns yellow, overdue red): the warning eased or moved on its own — e.g. the late
        // deadline stopped running — and the timeline still says who changed it, when and why.
        events.push({
          workOrderId: order.id,
          action: 'warning-changed',
          fromStatus: order.status,
          toStatus: order.status,
          ...SYSTEM_ACTOR,
          reason: `Warning level ${order.warningLevel} → ${plan.warningLevel}: no running deadline is ${order.warningLevel === 'red' ? 'overdue' : 'near its end'} any more`,
          payload: { automatic: true, from: order.warningLevel, to: plan.warningLevel },
          createdAt: now,
        });
      }
      notices.push(...(ofOrder ?? []));
    }
    await this.repository.appendEvents(events, manager);
    // Stored in this transaction, announced (socket push, SMS) only after it commits.
    await this.notifications.notifyMany(notices, manager);
    const changed = planned.filter(({ order, plan }) => won.has(order.id) && (plan.steps.length > 0 || warningChangedAlone(order, plan)));
    return { claimed: won.size, steps: events.length, changed };
  }

  /**
   * After the commit: `workOrder.changed` for every order a step changed, so that open consoles reload it like
   * after a manual remind or supervise (the lead unit, its ancestors and the center hear it).
   */
  private async announce(changed: Planned[], now: Date): Promise<void> {
    try {
      const center = await this.units.centerUnit();
      for (const { order, plan } of changed) {
        const unitIds = new Set<number>(center ? [center.id] : []);
        if (order.leadUnitId !== null) {
          unitIds.add(order.leadUnitId);
          for (const id of await this.units.ancestorIds(order.leadUnitId)) unitIds.add(id);
        }
        this.events.emit('workOrder.changed', {
          workOrderId: order.id,
          number: order.number,
          action: plan.steps.length > 0 ? plan.steps[plan.steps.length - 1].kind : 'warning-changed',
          fromStatus: order.status,
          toStatus: order.status,
          version: order.version + 1,
          actorId: null,
          unitIds: [...unitIds].sort((a, b) => a - b),
          userIds: [order.registeredById],
          at: now.toISOString(),
        });
      }
    } catch (error) {
      // Committed already: a failed announcement only means consoles reload later.
      this.logger.warn(`Could not announce deadline steps: ${(error as Error).message}`);
    }
  }

  /** The timeline entry's reason and payload. */
  private describe(step: EscalationStep): Pick<WorkOrderEvent, 'reason' | 'payload'> {
    switch (step.kind) {
      case 'remind':
        return { reason: `Automatic reminder: ${step.deadline} is due at ${step.dueAt.toISOString()}`, payload: { automatic: true, deadline: step.deadline, dueAt: step.dueAt.toISOString() } };
      case 'overdue':
        return { reason: `Overdue: ${step.deadline} was due at ${step.dueAt.toISOString()}`, payload: { automatic: true, deadline: step.deadline, dueAt: step.dueAt.toISOString() } };
      case 'supervise':
        return {
          reason: `Automatic supervision: overdue since ${step.overdueSince.toISOString()}, reply by ${step.replyDueAt.toISOString()}`,
          payload: { automatic: true, overdueSince: step.overdueSince.toISOString(), previousReplyDueAt: step.previousReplyDueAt?.toISOString() ?? null, replyDueAt: step.replyDueAt.toISOString() },
        };
      case 'escalate':
        return {
          reason: `Escalation level ${step.level}: ${step.workingDaysOverdue} working days overdue`,
          payload: { automatic: true, level: step.level, overdueSince: step.overdueSince.toISOString(), workingDaysOverdue: step.workingDaysOverdue },
        };
    }
  }

  /** Who hears of a step, and what they read (the console links the order by workOrderId). */
  private async notice(order: DueOrder, step: EscalationStep, calendar: WorkingCalendar, cache: Map<string, Promise<number[]>>): Promise<{ audience: Audience[]; content: NotificationContent }> {
    const center = await this.cached(cache, 'center', () => this.repository.centerUnitIds());
    const unit = order.leadUnitId !== null ? [order.leadUnitId] : [];
    const base = { workOrderId: order.id, body: order.title };
    const local = (instant: Date) => new Date(calendar.timeZone.toLocalMs(instant.getTime())).toISOString().slice(0, 16).replace('T', ' ');
    switch (step.kind) {
      case 'remind':
        return {
          // Before dispatch the center itself is the one running late.
          audience: unit.length > 0 ? [{ unitIds: unit, roles: UNIT_STAFF }] : [{ unitIds: center, roles: ['dispatcher'] }],
          content: { ...base, kind: 'deadline.yellow', title: `催办：工单 ${order.number} ${DEADLINE_LABELS[step.deadline]}期限 ${local(step.dueAt)}`, payload: { deadline: step.deadline, dueAt: step.dueAt.toISOString() } },
        };
      case 'overdue':
        return {
          audience: [{ unitIds: unit, roles: UNIT_STAFF }, { unitIds: center, roles: CENTER_ON_RED }],
          content: { ...base, kind: 'deadline.red', title: `逾期：工单 ${order.number} ${DEADLINE_LABELS[step.deadline]}期限 ${local(step.dueAt)} 已过`, payload: { deadline: step.deadline, dueAt: step.dueAt.toISOString() } },
        };
      case 'supervise':
        return {
          audience: [{ unitIds: unit, roles: UNIT_STAFF }, { unitIds: center, roles: ['supervisor'] }],
          content: { ...base, kind: 'supervision', title: `督办：工单 ${order.number} 请于 ${local(step.replyDueAt)} 前答复`, payload: { replyDueAt: step.replyDueAt.toISOString(), automatic: true } },
        };
      case 'escalate': {
        const lead = order.leadUnitId;
        const parent = lead !== null ? ((await this.cached(cache, `parent:${lead}`, async () => { const id = await this.repository.parentUnitId(lead); return id === null ? [] : [id]; }))[0] ?? null) : null;
        return {
          audience: [
            { unitIds: unit, roles: ['unit_admin'] },
            // The parent unit's admins; when the parent is the center, its supervisors below hear of it anyway.
            { unitIds: parent !== null ? [parent] : [], roles: ['unit_admin', 'admin'] },
            { unitIds: center, roles: ['supervisor'] },
          ],
          content: { ...base, kind: 'escalation', title: `升级督办：工单 ${order.number} 已逾期 ${step.workingDaysOverdue} 个工作日`, payload: { level: step.level, workingDaysOverdue: step.workingDaysOverdue } },
        };
      }
    }
  }

  private usersOf(audience: Audience, cache: Map<string, Promise<number[]>>): Promise<number[]> {
    const key = `users:${[...audience.unitIds].sort((a, b) => a - b).join(',')}|${[...audience.roles].sort().join(',')}`;
    return this.cached(cache, key, () => this.users.activeIdsOfUnits(audience.unitIds, audience.roles));
  }

  /** Look-ups are kept for one tick only (a unit's staff changing meanwhile is seen by the next tick). */
  private cached(cache: Map<string, Promise<number[]>>, key: string, load: () => Promise<number[]>): Promise<number[]> {
    let found = cache.get(key);
    if (!found) {
      found = load();
      cache.set(key, found);
    }
    return found;
  }
}

/** The plan changes the order's warning level with no step of its own to record it. */
function warningChangedAlone(order: DueOrder, plan: EscalationPlan): boolean {
  return plan.steps.length === 0 && plan.warningLevel !== order.warningLevel;
}

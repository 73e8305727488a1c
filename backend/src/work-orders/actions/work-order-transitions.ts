import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { ConflictWithDetailsException, UnprocessableException } from '../../common/exceptions';
import { TransactionService } from '../../database/transaction.service';
import { DeadlinePolicy, type OrderDeadlines } from '../../deadlines/deadline-policy';
import type { NotificationContent } from '../../notifications/notification.view';
import { NotificationsService } from '../../notifications/notifications.service';
import type { Unit } from '../../units/unit.entity';
import type { Role } from '../../users/role';
import { UnitsService } from '../../units/units.service';
import type { WorkOrder } from '../entities/work-order.entity';
import { timelineActor } from '../timeline-actor';
import { WorkOrderAccess } from '../work-order-access.service';
import { WorkOrderNotifier } from '../work-order-notifier';
import { allowedActions, judge, targetOf, type ActionChoice, type OrderFacts } from '../work-order-state-machine';
import type { TimelineAction, WorkOrderAction, WorkOrderStatus } from '../work-order.enums';
import type { WorkOrderDetailView } from '../work-order.view';
import { WorkOrdersRepository } from '../work-orders.repository';
import { WorkOrdersService } from '../work-orders.service';

export interface ActionContext {
  order: WorkOrder;
  /** What the state machine knew about the order when it allowed the action. */
  facts: OrderFacts;
  /** The status the action leads to, from the rule table (RULES[action].to). */
  to: WorkOrderStatus;
  manager: EntityManager;
  now: Date;
  /** The other orders the action writes to, write-locked together with the order (lowest id first) and read after the lock. */
  locked: Map<number, WorkOrder>;
  /** The order's limits on the working calendar (read once, with the transaction's manager). */
  deadlines: () => Promise<OrderDeadlines>;
}

/** Which other orders an action will write to, besides its own: they are locked with it, lowest id first. */
export type OtherOrders = (
  order: WorkOrder,
  repository: WorkOrdersRepository,
  /** The transaction's, when asked again under the lock (a query beside it would need a second pooled connection). */
  manager?: EntityManager,
) => (number | null)[] | Promise<(number | null)[]>;

/** Actions that move a child's deadline lock its parent too, so a parallel change of the parent's cannot cross them. */
export const PARENT: OtherOrders = (order) => [order.parentId];

/**
 * An event the action also writes on another (locked) order: the merge target, the new child, the linked order, an
 * order merged into this one. With `changes`, that order is updated too (version-checked), and `toStatus` is its new status.
 */
export interface RelatedEvent {
  order: WorkOrder;
  action: TimelineAction;
  fromStatus: WorkOrderStatus | null;
  reason: string | null;
  payload: Record<string, unknown> | null;
  changes?: Partial<WorkOrder>;
  toStatus?: WorkOrderStatus;
}

/** What an action does besides moving to its target status. */
export interface Effects {
  changes?: Partial<WorkOrder>;
  reason?: string | null;
  payload?: Record<string, unknown> | null;
  /** Writes that belong to the same transaction, after the order row was updated. */
  afterUpdate?: () => Promise<void>;
  related?: RelatedEvent[];
  /** Units to notify besides those on the order (e.g. the unit that just lost it). */
  alsoNotifyUnitIds?: (number | null)[];
  /** Users to notify besides the registering agent and the actor (e.g. the handler an order was assigned to). */
  alsoNotifyUserIds?: (number | null)[];
  /** In-app notifications (the bell; SMS for urgent kinds), stored in the action's transaction and pushed after it commits. */
  notices?: Notice[];
}

/** A notification for every active user of the units (optionally only some roles) and for the named users. */
export interface Notice {
  unitIds?: (number | null)[];
  roles?: Role[];
  userIds?: number[];
  content: Omit<NotificationContent, 'workOrderId'>;
}

export interface TransitionRequest {
  action: WorkOrderAction;
  id: number;
  version: number;
  /** What the request decides about the target status (see ActionChoice). */
  choice?: ActionChoice;
  otherOrders?: OtherOrders;
}

/** Statuses in which no deadline of the order runs: the scheduler has nothing to look at (deadlineCheckAt null). */
const NO_RUNNING_DEADLINE: readonly WorkOrderStatus[] = ['suspended', 'reply_review', 'callback_pending', 'closed', 'merged', 'cancelled', 'invalid'];

/** Actions that change no deadline: they leave deadlineCheckAt alone. */
const DEADLINE_NEUTRAL: readonly TimelineAction[] = ['remind', 'link', 'assign', 'assist-reply', 'callback-attempt'];

/** A new deadline starts: the warning and the escalation start over (the contract with the escalation scheduler). */
export const FRESH_WARNING = { warningLevel: 'none', escalationStage: 0 } as const;

export function earliest(a: Date, b: Date | null): Date {
  return b !== null && b.getTime() < a.getTime() ? b : a;
}

/**
 * The one transition runner every lifecycle action goes through. It finds the order (404 if the caller may not see
 * it), checks the version (409 if stale), asks the state machine (409 with the allowed actions, 403 for the wrong role
 * or unit), takes the target status from the rule table, applies the action's effects with a version-checked update
 * and appends the timeline event — all in one transaction, retried on a deadlock — and then tells the concerned units
 * and users.
 */
@Injectable()
export class WorkOrderTransitions {
  constructor(
    readonly workOrders: WorkOrdersRepository,
    private readonly reader: WorkOrdersService,
    private readonly access: WorkOrderAccess,
    readonly units: UnitsService,
    private readonly deadlinePolicy: DeadlinePolicy,
    private readonly notifier: WorkOrderNotifier,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  async run(caller: AuthUser, request: TransitionRequest, apply: (context: ActionContext) => Effects | Promise<Effects>): Promise<WorkOrderDetailView> {
    const { action, id, version, otherOrders } = request;
    const now = this.clock.now();
    // Which other orders the action writes to: read before the transaction (inside it, this read would need
    // a second pooled connection while holding one), and checked again once locked.
    const others = otherOrders ? await this.otherOrderIds(id, otherOrders) : [];
    // Load the cached unit tree now if it is due: the checks inside the transaction read it, and a reload
    // there would wait for a second pooled connection while holding one (enough of those exhaust the pool).
    await this.units.find(caller.unitId);
    // Likewise the calendar overrides: refreshed here, so that the deadlines inside use the copy in memory.
    await this.deadlinePolicy.refreshCalendar();
    const { order, effects } = await this.transactions.run(async (manager) => {
      // The first statement write-locks the order (and any other order the action writes to, lowest id
      // first): every later read then sees what the last writer committed, and actions on the same orders
      // queue up instead of taking shared locks (foreign-key checks) and upgrading them in crossing orders.
      const locked = new Map((await this.workOrders.lockInIdOrder([id, ...others], manager)).map((o) => [o.id, o]));
      const order = await this.workOrders.findById(id, manager);
      if (!order || !(await this.access.canSee(caller, order, manager))) {
        throw new NotFoundException(`Work order ${id} does not exist`);
      }
      if (otherOrders && (await otherOrders(order, this.workOrders, manager)).some((o) => o !== null && o !== id && !others.includes(o))) {
        throw this.changedMeanwhile(order);
      }
      if (order.version !== version) {
        throw new ConflictWithDetailsException(
          `Work order ${order.number} was changed by someone else (version ${order.version}, you sent ${version}): reload it and try again`,
          { currentVersion: order.version, status: order.status },
          'VERSION_CONFLICT',
        );
      }
      const facts = await this.reader.factsOf(order, manager);
      const verdict = judge(action, facts, caller);
      if (!verdict.allowed) {
        const details = { status: order.status, allowedActions: allowedActions(facts, caller) };
        if (verdict.reason === 'actor') throw new ForbiddenException({ message: verdict.message, details });
        throw new ConflictWithDetailsException(verdict.message, details, 'ACTION_NOT_ALLOWED');
      }
      const to = targetOf(action, facts, caller, request.choice);
      let policy: Promise<OrderDeadlines> | null = null;
      const deadlines = () => (policy ??= this.deadlinePolicy.forOrder(order, manager));
      const effects = await apply({ order, facts, to, manager, now, locked, deadlines });
      const updated = await this.workOrders.updateIfVersion(
        order.id,
        version,
        { ...deadlineCheck(action, to, now), ...effects.changes, status: to, updatedAt: now },
        manager,
      );
      if (!updated) throw this.changedMeanwhile(order);
      await effects.afterUpdate?.();
      const actor = timelineActor(caller);
      await this.workOrders.appendEvent(
        { workOrderId: order.id, action, fromStatus: order.status, toStatus: to, ...actor, reason: effects.reason ?? null, payload: effects.payload ?? null, createdAt: now },
        manager,
      );
      for (const related of effects.related ?? []) {
        const toStatus = related.toStatus ?? related.order.status;
        if (related.changes || related.toStatus) {
          const ok = await this.workOrders.updateIfVersion(
            related.order.id,
            related.order.version,
            { ...deadlineCheck(related.action, toStatus, now), ...related.changes, status: toStatus, updatedAt: now },
            manager,
          );
          if (!ok) throw this.changedMeanwhile(related.order);
        }
        await this.workOrders.appendEvent(
          { workOrderId: related.order.id, action: related.action, fromStatus: related.fromStatus, toStatus, ...actor, reason: related.reason, payload: related.payload, createdAt: now },
          manager,
        );
      }
      for (const notice of effects.notices ?? []) {
        const content = { ...notice.content, workOrderId: order.id };
        const unitIds = (notice.unitIds ?? []).filter((u): u is number => u !== null);
        if (unitIds.length > 0) await this.notifications.notifyUnits(unitIds, notice.roles ?? null, content, manager);
        if (notice.userIds?.length) await this.notifications.notifyUsers(notice.userIds, content, manager);
      }
      return { order, effects };
    });
    await this.notifier.changed(order, action, order.status, caller, now, effects.alsoNotifyUnitIds ?? [], effects.alsoNotifyUserIds ?? []);
    for (const related of effects.related ?? []) {
      await this.notifier.changed(related.order, related.action, related.fromStatus, caller, now);
    }
    return this.reader.detail(caller, id);
  }

  /** Another order named in the body: it must exist for the caller and not be the order itself. Read as locked. */
  async requireTarget(caller: AuthUser, order: WorkOrder, targetId: number, { manager, locked }: ActionContext): Promise<WorkOrder> {
    if (targetId === order.id) throw new UnprocessableException('targetId must be another work order');
    const target = locked.get(targetId) ?? null;
    if (!target || !(await this.access.canSee(caller, target, manager))) {
      throw new UnprocessableException(`Work order ${targetId} does not exist`);
    }
    return target;
  }

  /** Moves another order's version on (e.g. the merge target, whose merged set changed); it is locked, so this cannot lose. */
  async bumpVersion(other: WorkOrder, now: Date, manager: EntityManager): Promise<void> {
    if (!(await this.workOrders.updateIfVersion(other.id, other.version, { updatedAt: now }, manager))) {
      throw new ConflictWithDetailsException(
        `Work order ${other.number} was changed by someone else meanwhile: reload it and try again`,
        { targetId: other.id },
        'VERSION_CONFLICT',
      );
    }
  }

  /**
   * A child order's reply deadline may never be later than its parent's (the parent cannot reply before its
   * children are finished). Every change of a child's deadline goes through here.
   */
  async requireWithinParentDeadline(order: WorkOrder, replyDueAt: Date | null, { manager, locked }: ActionContext): Promise<void> {
    if (order.parentId === null || replyDueAt === null) return;
    // Locked with the order (PARENT), so the parent's deadline cannot move before this transaction commits.
    const parent = locked.get(order.parentId) ?? (await this.workOrders.findById(order.parentId, manager));
    if (parent?.replyDueAt && replyDueAt > parent.replyDueAt) {
      throw new UnprocessableException(
        `The child's deadline may not be later than the parent's: ${replyDueAt.toISOString()} is after ${parent.replyDueAt.toISOString()} (work order ${parent.number})`,
        { parentId: parent.id, parentReplyDueAt: parent.replyDueAt.toISOString() },
      );
    }
  }

  /** A unit that can receive orders: exists, active, and not the center itself. */
  async requireHandlingUnit(unitId: number, what: string): Promise<Unit> {
    const unit = await this.units.find(unitId);
    if (!unit) throw new UnprocessableException(`${what} ${unitId} does not exist`);
    if (!unit.active) throw new UnprocessableException(`${what} ${unit.name} is inactive`);
    if (unit.type === 'center') throw new UnprocessableException(`${what} cannot be the hotline center itself`);
    return unit;
  }

  private changedMeanwhile(order: WorkOrder): ConflictWithDetailsException {
    return new ConflictWithDetailsException(
      `Work order ${order.number} was changed by someone else meanwhile: reload it and try again`,
      { currentVersion: order.version, status: order.status },
      'VERSION_CONFLICT',
    );
  }

  /** The other orders an action names, read outside the transaction (only to know what to lock). */
  private async otherOrderIds(id: number, otherOrders: OtherOrders): Promise<number[]> {
    const peek = await this.workOrders.findById(id);
    const ids = peek ? await otherOrders(peek, this.workOrders) : [];
    return [...new Set(ids.filter((o): o is number => o !== null && o !== id))];
  }
}

/**
 * The scheduler's next look at the order (the contract with the escalation scheduler): now after any transition
 * that can start, stop or move a running deadline, so that the next tick computes the real next check; null when
 * no deadline runs any more (suspended, in review, awaiting callback, closed, merged, cancelled, invalid), and then the
 * warning level is cleared too, except while suspended.
 */
function deadlineCheck(action: TimelineAction, toStatus: WorkOrderStatus, now: Date): Partial<WorkOrder> {
  if (DEADLINE_NEUTRAL.includes(action)) return {};
  if (!NO_RUNNING_DEADLINE.includes(toStatus)) return { deadlineCheckAt: now };
  // Out of the unit's hands: nothing is late any more, so `?warning=red` lists only what is overdue now.
  // Lateness stays recorded in the *LateMinutes columns; a suspended order keeps its level until it resumes.
  return toStatus === 'suspended' ? { deadlineCheckAt: null } : { deadlineCheckAt: null, warningLevel: 'none' };
}

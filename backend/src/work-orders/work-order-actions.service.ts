import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException, UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { DeadlinePolicy } from '../deadlines/deadline-policy';
import type { Unit } from '../units/unit.entity';
import { UnitsService } from '../units/units.service';
import type {
  CallbackDto,
  ContactDto,
  DispatchDto,
  NoteActionDto,
  ReasonActionDto,
  RemindDto,
  ReplyDto,
  RequestExtensionDto,
  ResolveDirectlyDto,
  SubDispatchDto,
  SuperviseDto,
  TargetOrderDto,
} from './dto/action.dto';
import type { WorkOrder } from './entities/work-order.entity';
import { WorkOrderAccess } from './work-order-access.service';
import { WorkOrderNotifier } from './work-order-notifier';
import { WorkOrderNumbers } from './work-order-numbers';
import { allowedActions, judge } from './work-order-state-machine';
import type { TimelineAction, WorkOrderAction, WorkOrderStatus } from './work-order.enums';
import type { WorkOrderDetailView } from './work-order.view';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';
import { timelineActor } from './timeline-actor';

interface ActionContext {
  order: WorkOrder;
  manager: EntityManager;
  now: Date;
  /** The other orders the action writes to, write-locked together with the order (lowest id first) and read after the lock. */
  locked: Map<number, WorkOrder>;
}

/** Which other orders an action will write to, besides its own: they are locked with it, lowest id first. */
type OtherOrders = (order: Pick<WorkOrder, 'id' | 'mergedIntoId'>) => (number | null)[];

/** An event the action also writes on another order (the merge target, the new child, the linked order). */
interface RelatedEvent {
  order: WorkOrder;
  action: TimelineAction;
  fromStatus: WorkOrderStatus | null;
  reason: string | null;
  payload: Record<string, unknown> | null;
}

interface Outcome {
  toStatus: WorkOrderStatus;
  changes?: Partial<WorkOrder>;
  reason?: string | null;
  payload?: Record<string, unknown> | null;
  /** Writes that belong to the same transaction, after the order row was updated. */
  afterUpdate?: () => Promise<void>;
  related?: RelatedEvent[];
  /** Units to notify besides those on the order (e.g. the unit that just lost it). */
  alsoNotifyUnitIds?: (number | null)[];
}

const OPEN_TARGET_STATUSES: readonly WorkOrderStatus[] = ['registered', 'dispatched', 'return_requested', 'processing', 'suspended', 'reply_review', 'callback_pending'];

/**
 * The lifecycle actions. Each one: finds the order (404 if the caller may not see it), checks the version
 * (409 if stale), asks the state machine (409 with the allowed actions, 403 for the wrong role or unit),
 * applies its changes with a version-checked update and appends the timeline event — all in one
 * transaction — and then tells the concerned units and users.
 */
@Injectable()
export class WorkOrderActionsService {
  constructor(
    private readonly workOrders: WorkOrdersRepository,
    private readonly reader: WorkOrdersService,
    private readonly access: WorkOrderAccess,
    private readonly units: UnitsService,
    private readonly attachments: AttachmentsService,
    private readonly numbers: WorkOrderNumbers,
    private readonly deadlines: DeadlinePolicy,
    private readonly notifier: WorkOrderNotifier,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  resolveDirectly(caller: AuthUser, id: number, dto: ResolveDirectlyDto) {
    return this.perform(caller, id, 'resolve-directly', dto.version, async ({ now }) => ({
      toStatus: 'closed',
      changes: { reply: dto.answer, repliedAt: now, closedAt: now },
      payload: { answer: dto.answer },
    }));
  }

  dispatch(caller: AuthUser, id: number, dto: DispatchDto) {
    return this.perform(caller, id, 'dispatch', dto.version, async ({ order, manager, now }) => {
      // The category came with the order (read in the transaction; no second connection needed).
      const leadUnitId = dto.leadUnitId ?? order.category?.defaultLeadUnitId;
      if (!leadUnitId) {
        throw new UnprocessableException('The category has no default lead unit: send leadUnitId');
      }
      const lead = await this.requireHandlingUnit(leadUnitId, 'Lead unit');
      const assistingIds = dto.assistingUnitIds ?? [];
      if (assistingIds.includes(leadUnitId)) throw new UnprocessableException('The lead unit cannot also be an assisting unit');
      const assisting: Unit[] = [];
      for (const unitId of assistingIds) assisting.push(await this.requireHandlingUnit(unitId, 'Assisting unit'));
      const due = this.deadlines.onDispatch(now, order.requestType, order.urgency);
      return {
        toStatus: 'dispatched',
        changes: { leadUnitId, dispatchedAt: now, acceptDueAt: due.acceptDueAt, replyDueAt: due.replyDueAt, acceptedAt: null },
        reason: dto.note ?? null,
        payload: {
          leadUnitId,
          leadUnitName: lead.name,
          assistingUnits: assisting.map((u) => ({ id: u.id, name: u.name })),
          acceptDueAt: due.acceptDueAt.toISOString(),
          replyDueAt: due.replyDueAt.toISOString(),
        },
        afterUpdate: () => this.workOrders.replaceAssistingUnits(order.id, assistingIds, manager),
        alsoNotifyUnitIds: assistingIds,
      };
    });
  }

  accept(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'accept', dto.version, async ({ now }) => ({
      toStatus: 'processing',
      changes: { acceptedAt: now },
      reason: dto.note ?? null,
    }));
  }

  requestReturn(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'return', dto.version, async ({ order }) => ({
      toStatus: 'return_requested',
      changes: { returnCount: order.returnCount + 1 },
      reason: dto.reason,
    }));
  }

  approveReturn(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'approve-return', dto.version, async ({ order, manager, now }) => {
      if (order.parentId !== null) {
        // A child order goes back to its parent unit, which handles the matter itself or passes it elsewhere.
        return { toStatus: 'cancelled', changes: { closedAt: now }, reason: dto.note ?? null };
      }
      return {
        toStatus: 'registered',
        changes: {
          leadUnitId: null,
          dispatchedAt: null,
          acceptDueAt: null,
          replyDueAt: null,
          acceptedAt: null,
          firstContactAt: null,
          extensionRequestedDueAt: null,
          extensionReason: null,
        },
        reason: dto.note ?? null,
        payload: { returnedByUnitId: order.leadUnitId },
        afterUpdate: () => this.workOrders.replaceAssistingUnits(order.id, [], manager),
        alsoNotifyUnitIds: [order.leadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId)],
      };
    });
  }

  rejectReturn(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'reject-return', dto.version, async ({ order, now }) => ({
      toStatus: 'processing',
      changes: { acceptedAt: order.acceptedAt ?? now },
      reason: dto.reason,
    }));
  }

  subDispatch(caller: AuthUser, id: number, dto: SubDispatchDto) {
    return this.perform(caller, id, 'sub-dispatch', dto.version, async ({ order, manager, now }) => {
      const unit = await this.requireHandlingUnit(dto.unitId, 'Unit');
      if (order.leadUnitId === null || !(await this.units.isStrictDescendant(unit.id, order.leadUnitId))) {
        throw new UnprocessableException(`${unit.name} is not a unit below the lead unit: sub-dispatch goes to subordinate units only`);
      }
      const replyDueAt = dto.replyDueAt ? new Date(dto.replyDueAt) : order.replyDueAt;
      if (replyDueAt && replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      if (replyDueAt && order.replyDueAt && replyDueAt > order.replyDueAt) {
        throw new UnprocessableException(`The child's deadline may not be later than the parent's (${order.replyDueAt.toISOString()})`);
      }
      const acceptDueAt = this.deadlines.onDispatch(now, order.requestType, order.urgency).acceptDueAt;
      const child = await this.workOrders.insert(
        {
          number: await this.numbers.next(now, manager),
          parentId: order.id,
          requestType: order.requestType,
          urgency: order.urgency,
          channel: order.channel,
          status: 'dispatched',
          citizenName: order.citizenName,
          citizenPhone: order.citizenPhone,
          citizenConfidential: order.citizenConfidential,
          address: order.address,
          districtUnitId: order.districtUnitId,
          streetUnitId: order.streetUnitId,
          latitude: order.latitude,
          longitude: order.longitude,
          categoryId: order.categoryId,
          title: order.title,
          content: order.content,
          leadUnitId: unit.id,
          registeredById: caller.id,
          dispatchedAt: now,
          acceptDueAt: replyDueAt && replyDueAt < acceptDueAt ? replyDueAt : acceptDueAt,
          replyDueAt,
          createdAt: now,
          updatedAt: now,
        },
        manager,
      );
      return {
        toStatus: order.status,
        reason: dto.instruction,
        payload: { childId: child.id, childNumber: child.number, unitId: unit.id, unitName: unit.name },
        related: [
          {
            order: child,
            action: 'sub-dispatch',
            fromStatus: null,
            reason: dto.instruction,
            payload: { parentId: order.id, parentNumber: order.number, replyDueAt: replyDueAt?.toISOString() ?? null },
          },
        ],
      };
    });
  }

  contact(caller: AuthUser, id: number, dto: ContactDto) {
    return this.perform(caller, id, 'contact', dto.version, async ({ order, now }) => ({
      toStatus: order.status,
      changes: { firstContactAt: order.firstContactAt ?? now },
      reason: dto.note,
      payload: { method: dto.method, first: order.firstContactAt === null },
    }));
  }

  reply(caller: AuthUser, id: number, dto: ReplyDto) {
    return this.perform(caller, id, 'reply', dto.version, async ({ order, manager, now }) => ({
      toStatus: 'reply_review',
      // A reply settles any extension request still waiting for a decision.
      changes: { reply: dto.content, repliedAt: now, extensionRequestedDueAt: null, extensionReason: null },
      payload: { content: dto.content, attachmentIds: dto.attachmentIds ?? [] },
      afterUpdate: () => this.attachments.bindToWorkOrder(caller, dto.attachmentIds, order.id, 'reply', manager),
    }));
  }

  approveReply(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'approve-reply', dto.version, async ({ order, now }) =>
      order.parentId !== null
        ? { toStatus: 'closed', changes: { closedAt: now }, reason: dto.note ?? null }
        : { toStatus: 'callback_pending', reason: dto.note ?? null },
    );
  }

  rejectReply(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'reject-reply', dto.version, async () => ({ toStatus: 'processing', reason: dto.reason }));
  }

  callback(caller: AuthUser, id: number, dto: CallbackDto) {
    return this.perform(caller, id, 'callback', dto.version, async ({ order, now }) => {
      const recorded = { calledBackAt: now, resolved: dto.resolved, satisfaction: dto.satisfaction };
      if (dto.resolved) {
        return { toStatus: 'closed', changes: { ...recorded, closedAt: now }, reason: dto.note ?? null, payload: { resolved: true, satisfaction: dto.satisfaction } };
      }
      // Not resolved: back to the department for a second round with a shorter limit (重办).
      return {
        toStatus: 'processing',
        changes: { ...recorded, reopenCount: order.reopenCount + 1, replyDueAt: this.deadlines.onReopen(now) },
        reason: dto.note ?? null,
        payload: { resolved: false, satisfaction: dto.satisfaction, reopened: true },
      };
    });
  }

  reopen(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'reopen', dto.version, async ({ order, now }) => {
      const reset = { closedAt: null, resolved: null, satisfaction: null, calledBackAt: null, reopenCount: order.reopenCount + 1 };
      if (order.leadUnitId === null) {
        // It was answered directly on the call: it goes back to dispatch.
        return { toStatus: 'registered', changes: { ...reset, reply: null, repliedAt: null }, reason: dto.reason };
      }
      return { toStatus: 'processing', changes: { ...reset, replyDueAt: this.deadlines.onReopen(now) }, reason: dto.reason };
    });
  }

  requestExtension(caller: AuthUser, id: number, dto: RequestExtensionDto) {
    return this.perform(caller, id, 'request-extension', dto.version, async ({ order, manager, now }) => {
      const requested = new Date(dto.requestedDueAt);
      if (order.replyDueAt && order.replyDueAt <= now) {
        throw new UnprocessableException('The reply deadline has already passed: extensions must be requested before it');
      }
      const floor = order.replyDueAt ?? now;
      if (requested <= floor) throw new UnprocessableException(`requestedDueAt must be after the current deadline ${floor.toISOString()}`);
      await this.requireWithinParentDeadline(order, requested, manager);
      return {
        toStatus: order.status,
        changes: { extensionRequestedDueAt: requested, extensionReason: dto.reason },
        reason: dto.reason,
        payload: { currentReplyDueAt: order.replyDueAt?.toISOString() ?? null, requestedDueAt: requested.toISOString() },
      };
    });
  }

  approveExtension(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'approve-extension', dto.version, async ({ order, manager, now }) => {
      if (order.extensionRequestedDueAt && order.extensionRequestedDueAt <= now) {
        throw new UnprocessableException('The requested due date has already passed: refuse the request and let the unit ask again');
      }
      // The parent's deadline may have moved since the request was made.
      await this.requireWithinParentDeadline(order, order.extensionRequestedDueAt, manager);
      return {
        toStatus: order.status,
        changes: { replyDueAt: order.extensionRequestedDueAt, extensionRequestedDueAt: null, extensionReason: null },
        reason: dto.note ?? null,
        payload: {
          previousReplyDueAt: order.replyDueAt?.toISOString() ?? null,
          replyDueAt: order.extensionRequestedDueAt?.toISOString() ?? null,
        },
      };
    });
  }

  refuseExtension(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'refuse-extension', dto.version, async ({ order }) => ({
      toStatus: order.status,
      changes: { extensionRequestedDueAt: null, extensionReason: null },
      reason: dto.reason,
      payload: { requestedDueAt: order.extensionRequestedDueAt?.toISOString() ?? null },
    }));
  }

  suspend(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'suspend', dto.version, async ({ order, now }) => ({
      toStatus: 'suspended',
      changes: { statusBeforeSuspension: order.status, suspendedAt: now },
      reason: dto.reason,
    }));
  }

  resume(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'resume', dto.version, async ({ order, manager, now }) => {
      // The clock stood still while suspended: push the deadlines on by the time it was suspended.
      const pausedMs = order.suspendedAt ? Math.max(0, now.getTime() - order.suspendedAt.getTime()) : 0;
      const shift = (d: Date | null) => (d ? new Date(d.getTime() + pausedMs) : null);
      const back = order.statusBeforeSuspension ?? 'processing';
      let replyDueAt = shift(order.replyDueAt);
      let acceptDueAt = back === 'dispatched' ? shift(order.acceptDueAt) : order.acceptDueAt;
      // A child never ends up due after its parent: resuming is not refused (the order would be stuck
      // suspended), the shifted deadline stops at the parent's instead.
      const parent = order.parentId !== null ? await this.workOrders.findById(order.parentId, manager) : null;
      const cap = parent?.replyDueAt ?? null;
      const clamped = cap !== null && replyDueAt !== null && replyDueAt > cap;
      if (clamped) replyDueAt = cap;
      if (cap !== null && acceptDueAt !== null && acceptDueAt > cap) acceptDueAt = cap;
      return {
        toStatus: back,
        changes: { statusBeforeSuspension: null, suspendedAt: null, replyDueAt, acceptDueAt },
        reason: dto.note ?? null,
        payload: { suspendedMilliseconds: pausedMs, ...(clamped ? { replyDueAtCappedByParent: cap?.toISOString() } : {}) },
      };
    });
  }

  remind(caller: AuthUser, id: number, dto: RemindDto) {
    return this.perform(caller, id, 'remind', dto.version, async ({ order }) => ({
      toStatus: order.status,
      changes: { reminderCount: order.reminderCount + 1 },
      reason: dto.message ?? null,
    }));
  }

  supervise(caller: AuthUser, id: number, dto: SuperviseDto) {
    return this.perform(caller, id, 'supervise', dto.version, async ({ order, manager, now }) => {
      const replyDueAt = new Date(dto.replyDueAt);
      if (replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      await this.requireWithinParentDeadline(order, replyDueAt, manager);
      // Moving a parent's deadline before an open child's is refused, not silently cut down: the supervisor
      // supervises the child first (with its own instruction), then the parent.
      const dueLater = (await this.workOrders.openChildrenOf(order.id, manager)).filter((c) => c.replyDueAt && c.replyDueAt > replyDueAt);
      if (dueLater.length > 0) {
        throw new UnprocessableException(
          `Child orders ${dueLater.map((c) => c.number).join(', ')} are due after ${replyDueAt.toISOString()}: supervise them with an earlier deadline first`,
          { childIds: dueLater.map((c) => c.id) },
        );
      }
      return {
        toStatus: order.status,
        changes: { supervised: true, replyDueAt },
        reason: dto.instruction,
        payload: { previousReplyDueAt: order.replyDueAt?.toISOString() ?? null, replyDueAt: replyDueAt.toISOString() },
      };
    });
  }

  merge(caller: AuthUser, id: number, dto: TargetOrderDto) {
    return this.perform(caller, id, 'merge', dto.version, async (context) => {
      const { order, manager, now } = context;
      const target = await this.requireTarget(caller, order, dto.targetId, context);
      // Merges do not chain: an order with orders merged into it stays the one they point at (unmerge them first).
      const mergedIntoOrder = await this.workOrders.mergedIdsInto(order.id, manager);
      if (mergedIntoOrder.length > 0) {
        throw new UnprocessableException(
          `Work order ${order.number} has other orders merged into it (ids ${mergedIntoOrder.join(', ')}): unmerge them first — merges do not chain`,
          { mergedWorkOrderIds: mergedIntoOrder },
        );
      }
      if (target.status === 'merged') {
        throw new UnprocessableException(`Work order ${target.number} is itself merged into work order ${target.mergedIntoId}`);
      }
      if (!OPEN_TARGET_STATUSES.includes(target.status)) {
        throw new UnprocessableException(`Work order ${target.number} is ${target.status}: merge only into an open order`);
      }
      if (target.parentId !== null) throw new UnprocessableException(`Work order ${target.number} is a sub-dispatched child order: merge into its parent`);
      return {
        toStatus: 'merged',
        changes: { mergedIntoId: target.id, statusBeforeMerge: order.status },
        reason: dto.note ?? null,
        payload: { targetId: target.id, targetNumber: target.number },
        // The target's merged set changes: its version moves, so a stale action on it (or a crossed merge) answers 409.
        afterUpdate: () => this.bumpVersion(target, now, manager),
        related: [
          { order: target, action: 'merge', fromStatus: target.status, reason: dto.note ?? null, payload: { mergedWorkOrderId: order.id, mergedNumber: order.number } },
        ],
      };
    }, () => [dto.targetId]);
  }

  unmerge(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'unmerge', dto.version, async ({ order, manager, now, locked }) => {
      const target = order.mergedIntoId ? (locked.get(order.mergedIntoId) ?? null) : null;
      return {
        toStatus: order.statusBeforeMerge ?? 'registered',
        changes: { mergedIntoId: null, statusBeforeMerge: null },
        reason: dto.note ?? null,
        payload: { formerTargetId: order.mergedIntoId },
        afterUpdate: target ? () => this.bumpVersion(target, now, manager) : undefined,
        related: target
          ? [{ order: target, action: 'unmerge', fromStatus: target.status, reason: dto.note ?? null, payload: { unmergedWorkOrderId: order.id, unmergedNumber: order.number } }]
          : [],
      };
    }, (order) => [order.mergedIntoId]);
  }

  link(caller: AuthUser, id: number, dto: TargetOrderDto) {
    return this.perform(caller, id, 'link', dto.version, async (context) => {
      const { order, manager, now } = context;
      const target = await this.requireTarget(caller, order, dto.targetId, context);
      const [lower, higher] = order.id < target.id ? [order.id, target.id] : [target.id, order.id];
      if (await this.workOrders.linkExists(lower, higher, manager)) {
        throw new ConflictWithDetailsException(`Work orders ${order.number} and ${target.number} are already linked`, { targetId: target.id });
      }
      return {
        toStatus: order.status,
        reason: dto.note ?? null,
        payload: { targetId: target.id, targetNumber: target.number },
        afterUpdate: () => this.workOrders.insertLink(lower, higher, caller.id, now, manager),
        related: [{ order: target, action: 'link', fromStatus: target.status, reason: dto.note ?? null, payload: { targetId: order.id, targetNumber: order.number } }],
      };
    }, () => [dto.targetId]);
  }

  private async perform(
    caller: AuthUser,
    id: number,
    action: WorkOrderAction,
    version: number,
    apply: (context: ActionContext) => Promise<Outcome>,
    otherOrders?: OtherOrders,
  ): Promise<WorkOrderDetailView> {
    const now = this.clock.now();
    // Which other orders the action writes to: read before the transaction (inside it, this read would need
    // a second pooled connection while holding one), and checked again once locked.
    const others = otherOrders ? await this.otherOrderIds(id, otherOrders) : [];
    // Load the cached unit tree now if it is due: the checks inside the transaction read it, and a reload
    // there would wait for a second pooled connection while holding one (enough of those exhaust the pool).
    await this.units.find(caller.unitId);
    const { order, fromStatus, outcome } = await this.transactions.run(async (manager) => {
      // The first statement write-locks the order (and any other order the action writes to, lowest id
      // first): every later read then sees what the last writer committed, and actions on the same orders
      // queue up instead of taking shared locks (foreign-key checks) and upgrading them in crossing orders.
      const locked = new Map((await this.workOrders.lockInIdOrder([id, ...others], manager)).map((o) => [o.id, o]));
      const order = await this.workOrders.findById(id, manager);
      if (!order || !(await this.access.canSee(caller, order, manager))) {
        throw new NotFoundException(`Work order ${id} does not exist`);
      }
      if (otherOrders?.(order).some((o) => o !== null && o !== id && !others.includes(o))) {
        throw new ConflictWithDetailsException(`Work order ${order.number} was changed by someone else meanwhile: reload it and try again`, {
          currentVersion: order.version,
          status: order.status,
        });
      }
      if (order.version !== version) {
        throw new ConflictWithDetailsException(
          `Work order ${order.number} was changed by someone else (version ${order.version}, you sent ${version}): reload it and try again`,
          { currentVersion: order.version, status: order.status },
        );
      }
      const facts = await this.reader.factsOf(order, manager);
      const verdict = judge(action, facts, caller);
      if (!verdict.allowed) {
        const details = { status: order.status, allowedActions: allowedActions(facts, caller) };
        if (verdict.reason === 'actor') throw new ForbiddenException({ message: verdict.message, details });
        throw new ConflictWithDetailsException(verdict.message, details);
      }
      const outcome = await apply({ order, manager, now, locked });
      const updated = await this.workOrders.updateIfVersion(
        order.id,
        version,
        { ...outcome.changes, status: outcome.toStatus, updatedAt: now },
        manager,
      );
      if (!updated) {
        throw new ConflictWithDetailsException(`Work order ${order.number} was changed by someone else meanwhile: reload it and try again`, {
          status: order.status,
        });
      }
      await outcome.afterUpdate?.();
      const actor = timelineActor(caller);
      await this.workOrders.appendEvent(
        { workOrderId: order.id, action, fromStatus: order.status, toStatus: outcome.toStatus, ...actor, reason: outcome.reason ?? null, payload: outcome.payload ?? null, createdAt: now },
        manager,
      );
      for (const related of outcome.related ?? []) {
        await this.workOrders.appendEvent(
          {
            workOrderId: related.order.id,
            action: related.action,
            fromStatus: related.fromStatus,
            toStatus: related.order.status,
            ...actor,
            reason: related.reason,
            payload: related.payload,
            createdAt: now,
          },
          manager,
        );
      }
      return { order, fromStatus: order.status, outcome };
    });
    await this.notifier.changed(order, action, fromStatus, caller, now, outcome.alsoNotifyUnitIds ?? []);
    for (const related of outcome.related ?? []) {
      await this.notifier.changed(related.order, related.action, related.fromStatus, caller, now);
    }
    return this.reader.detail(caller, id);
  }

  /** The other orders an action names, read outside the transaction (only to know what to lock). */
  private async otherOrderIds(id: number, otherOrders: OtherOrders): Promise<number[]> {
    const peek = await this.workOrders.findById(id);
    const ids = peek ? otherOrders(peek) : [];
    return [...new Set(ids.filter((o): o is number => o !== null && o !== id))];
  }

  /** Another order named in the body: it must exist for the caller and not be the order itself. Read as locked. */
  private async requireTarget(caller: AuthUser, order: WorkOrder, targetId: number, { manager, locked }: ActionContext): Promise<WorkOrder> {
    if (targetId === order.id) throw new UnprocessableException('targetId must be another work order');
    const target = locked.get(targetId) ?? null;
    if (!target || !(await this.access.canSee(caller, target, manager))) {
      throw new UnprocessableException(`Work order ${targetId} does not exist`);
    }
    return target;
  }

  /** Moves another order's version on (e.g. the merge target, whose merged set changed); it is locked, so this cannot lose. */
  private async bumpVersion(other: WorkOrder, now: Date, manager: EntityManager): Promise<void> {
    if (!(await this.workOrders.updateIfVersion(other.id, other.version, { updatedAt: now }, manager))) {
      throw new ConflictWithDetailsException(`Work order ${other.number} was changed by someone else meanwhile: reload it and try again`, {
        targetId: other.id,
      });
    }
  }

  /**
   * A child order's reply deadline may never be later than its parent's (the parent cannot reply before its
   * children are finished). Every change of a child's deadline goes through here.
   */
  private async requireWithinParentDeadline(order: WorkOrder, replyDueAt: Date | null, manager: EntityManager): Promise<void> {
    if (order.parentId === null || replyDueAt === null) return;
    const parent = await this.workOrders.findById(order.parentId, manager);
    if (parent?.replyDueAt && replyDueAt > parent.replyDueAt) {
      throw new UnprocessableException(
        `The child's deadline may not be later than the parent's: ${replyDueAt.toISOString()} is after ${parent.replyDueAt.toISOString()} (work order ${parent.number})`,
        { parentId: parent.id, parentReplyDueAt: parent.replyDueAt.toISOString() },
      );
    }
  }

  /** A unit that can receive orders: exists, active, and not the center itself. */
  private async requireHandlingUnit(unitId: number, what: string): Promise<Unit> {
    const unit = await this.units.find(unitId);
    if (!unit) throw new UnprocessableException(`${what} ${unitId} does not exist`);
    if (!unit.active) throw new UnprocessableException(`${what} ${unit.name} is inactive`);
    if (unit.type === 'center') throw new UnprocessableException(`${what} cannot be the hotline center itself`);
    return unit;
  }
}

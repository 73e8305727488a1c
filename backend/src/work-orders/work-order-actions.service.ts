import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException, UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { DeadlinePolicy, type OrderDeadlines } from '../deadlines/deadline-policy';
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
import { OPEN_STATUSES, type TimelineAction, type WorkOrderAction, type WorkOrderStatus } from './work-order.enums';
import type { WorkOrderDetailView } from './work-order.view';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';
import { timelineActor } from './timeline-actor';
import { replyLimitOf } from '../deadlines/deadline-limits';

interface ActionContext {
  order: WorkOrder;
  manager: EntityManager;
  now: Date;
  /** The other orders the action writes to, write-locked together with the order (lowest id first) and read after the lock. */
  locked: Map<number, WorkOrder>;
  /** The order's limits on the working calendar (read once, with the transaction's manager). */
  deadlines: () => Promise<OrderDeadlines>;
}

/** Which other orders an action will write to, besides its own: they are locked with it, lowest id first. */
type OtherOrders = (order: Pick<WorkOrder, 'id' | 'mergedIntoId' | 'parentId'>) => (number | null)[];

/** Actions that move a child's deadline lock its parent too, so a parallel change of the parent's cannot cross them. */
const PARENT: OtherOrders = (order) => [order.parentId];

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

/** Statuses in which no deadline of the order runs: the scheduler has nothing to look at (deadlineCheckAt null). */
const NO_RUNNING_DEADLINE: readonly WorkOrderStatus[] = ['suspended', 'reply_review', 'callback_pending', 'closed', 'merged', 'cancelled'];

/** Actions that change no deadline: they leave deadlineCheckAt alone. */
const DEADLINE_NEUTRAL: readonly WorkOrderAction[] = ['remind', 'link'];

/** A new deadline starts: the warning and the escalation start over (the contract with the escalation scheduler). */
const FRESH_WARNING = { warningLevel: 'none', escalationStage: 0 } as const;

function earliest(a: Date, b: Date | null): Date {
  return b !== null && b.getTime() < a.getTime() ? b : a;
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
    return this.perform(caller, id, 'dispatch', dto.version, async ({ order, manager, now, deadlines }) => {
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
      const due = (await deadlines()).onDispatch(now);
      return {
        toStatus: 'dispatched',
        changes: { leadUnitId, dispatchedAt: now, ...due, acceptedAt: null, ...FRESH_WARNING },
        reason: dto.note ?? null,
        payload: {
          leadUnitId,
          leadUnitName: lead.name,
          assistingUnits: assisting.map((u) => ({ id: u.id, name: u.name })),
          acceptDueAt: due.acceptDueAt.toISOString(),
          contactDueAt: due.contactDueAt.toISOString(),
          replyDueAt: due.replyDueAt.toISOString(),
          returnDeadlineAt: due.returnDeadlineAt.toISOString(),
        },
        afterUpdate: () => this.workOrders.replaceAssistingUnits(order.id, assistingIds, manager),
        alsoNotifyUnitIds: assistingIds,
      };
    });
  }

  accept(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'accept', dto.version, async ({ order, now, deadlines }) => {
      const late = (await deadlines()).lateMinutes(order.acceptDueAt, now, 'accept');
      return {
        toStatus: 'processing',
        changes: { acceptedAt: now, acceptLateMinutes: late ?? order.acceptLateMinutes },
        reason: dto.note ?? null,
        payload: late === null ? null : { acceptLateMinutes: late },
      };
    });
  }

  requestReturn(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'return', dto.version, async ({ order }) => ({
      toStatus: 'return_requested',
      changes: { returnCount: order.returnCount + 1 },
      reason: dto.reason,
    }));
  }

  approveReturn(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'approve-return', dto.version, async ({ order, manager, now, deadlines }) => {
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
          contactDueAt: null,
          replyDueAt: null,
          returnDeadlineAt: null,
          replyClockStartedAt: null,
          acceptedAt: null,
          firstContactAt: null,
          extensionRequestedDueAt: null,
          extensionReason: null,
          // Back with the center: a new dispatch limit runs from now.
          ...(await deadlines()).onRegister(now),
          ...FRESH_WARNING,
        },
        reason: dto.note ?? null,
        payload: { returnedByUnitId: order.leadUnitId },
        afterUpdate: () => this.workOrders.replaceAssistingUnits(order.id, [], manager),
        alsoNotifyUnitIds: [order.leadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId)],
      };
    });
  }

  rejectReturn(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'reject-return', dto.version, async ({ order, now, deadlines }) => {
      // Returned before accepting: the refusal accepts it on the unit's behalf, late if the acceptance limit passed.
      const late = order.acceptedAt === null ? (await deadlines()).lateMinutes(order.acceptDueAt, now, 'accept') : null;
      return {
        toStatus: 'processing',
        changes: { acceptedAt: order.acceptedAt ?? now, acceptLateMinutes: late ?? order.acceptLateMinutes },
        reason: dto.reason,
      };
    });
  }

  subDispatch(caller: AuthUser, id: number, dto: SubDispatchDto) {
    return this.perform(caller, id, 'sub-dispatch', dto.version, async ({ order, manager, now, deadlines }) => {
      const unit = await this.requireHandlingUnit(dto.unitId, 'Unit');
      if (order.leadUnitId === null || !(await this.units.isStrictDescendant(unit.id, order.leadUnitId))) {
        throw new UnprocessableException(`${unit.name} is not a unit below the lead unit: sub-dispatch goes to subordinate units only`);
      }
      // The child's own limits run from now; its reply is due by the rule or by the parent's deadline, whichever comes first.
      const own = (await deadlines()).onDispatch(now);
      const replyDueAt = dto.replyDueAt ? new Date(dto.replyDueAt) : earliest(own.replyDueAt, order.replyDueAt);
      if (replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      if (order.replyDueAt && replyDueAt > order.replyDueAt) {
        throw new UnprocessableException(`The child's deadline may not be later than the parent's (${order.replyDueAt.toISOString()})`);
      }
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
          // None of the child's deadlines is later than its reply, and so than the parent's.
          acceptDueAt: earliest(own.acceptDueAt, replyDueAt),
          contactDueAt: earliest(own.contactDueAt, replyDueAt),
          replyDueAt,
          returnDeadlineAt: earliest(own.returnDeadlineAt, replyDueAt),
          replyClockStartedAt: now,
          deadlineCheckAt: now,
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
            payload: { parentId: order.id, parentNumber: order.number, replyDueAt: replyDueAt.toISOString() },
          },
        ],
      };
    });
  }

  contact(caller: AuthUser, id: number, dto: ContactDto) {
    return this.perform(caller, id, 'contact', dto.version, async ({ order, now, deadlines }) => {
      const first = order.firstContactAt === null;
      const late = first ? (await deadlines()).lateMinutes(order.contactDueAt, now, 'contact') : null;
      return {
        toStatus: order.status,
        changes: first ? { firstContactAt: now, contactLateMinutes: late } : {},
        reason: dto.note,
        payload: { method: dto.method, first, ...(late === null ? {} : { contactLateMinutes: late }) },
      };
    });
  }

  reply(caller: AuthUser, id: number, dto: ReplyDto) {
    return this.perform(caller, id, 'reply', dto.version, async ({ order, manager, now, deadlines }) => {
      // A late reply is recorded as it happens (the latest late reply of a reopened order replaces an earlier one).
      // A supervision that set a new deadline after the old one had passed does not make the reply timely: the
      // lateness runs from the first deadline of this round that was missed.
      const missed = order.replyClockStartedAt
        ? await this.workOrders.earliestMissedReplyDeadline(order.id, order.replyClockStartedAt, manager)
        : null;
      const late = (await deadlines()).lateMinutes(missed ?? order.replyDueAt, now, replyLimitOf(order));
      return {
        toStatus: 'reply_review',
        // A reply settles any extension request still waiting for a decision.
        changes: { reply: dto.content, repliedAt: now, extensionRequestedDueAt: null, extensionReason: null, replyLateMinutes: late ?? order.replyLateMinutes },
        payload: { content: dto.content, attachmentIds: dto.attachmentIds ?? [], ...(late === null ? {} : { replyLateMinutes: late }) },
        afterUpdate: () => this.attachments.bindToWorkOrder(caller, dto.attachmentIds, order.id, 'reply', manager),
      };
    });
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
    return this.perform(caller, id, 'callback', dto.version, async ({ order, now, deadlines }) => {
      const recorded = { calledBackAt: now, resolved: dto.resolved, satisfaction: dto.satisfaction };
      if (dto.resolved) {
        return { toStatus: 'closed', changes: { ...recorded, closedAt: now }, reason: dto.note ?? null, payload: { resolved: true, satisfaction: dto.satisfaction } };
      }
      // Not resolved: back to the department for a second round with a shorter limit (重办).
      return {
        toStatus: 'processing',
        changes: { ...recorded, reopenCount: order.reopenCount + 1, ...(await deadlines()).onReopen(now), ...FRESH_WARNING },
        reason: dto.note ?? null,
        payload: { resolved: false, satisfaction: dto.satisfaction, reopened: true },
      };
    });
  }

  reopen(caller: AuthUser, id: number, dto: ReasonActionDto) {
    return this.perform(caller, id, 'reopen', dto.version, async ({ order, now, deadlines }) => {
      const reset = { closedAt: null, resolved: null, satisfaction: null, calledBackAt: null, reopenCount: order.reopenCount + 1, ...FRESH_WARNING };
      const policy = await deadlines();
      if (order.leadUnitId === null) {
        // It was answered directly on the call: it goes back to dispatch, with a new dispatch limit.
        return { toStatus: 'registered', changes: { ...reset, reply: null, repliedAt: null, ...policy.onRegister(now) }, reason: dto.reason };
      }
      const due = policy.onReopen(now);
      return { toStatus: 'processing', changes: { ...reset, ...due }, reason: dto.reason, payload: { replyDueAt: due.replyDueAt.toISOString() } };
    });
  }

  requestExtension(caller: AuthUser, id: number, dto: RequestExtensionDto) {
    return this.perform(caller, id, 'request-extension', dto.version, async (context) => {
      const { order, now, deadlines } = context;
      const requested = new Date(dto.requestedDueAt);
      if (order.replyDueAt && order.replyDueAt <= now) {
        throw new UnprocessableException('The reply deadline has already passed: extensions must be requested before it');
      }
      const floor = order.replyDueAt ?? now;
      if (requested <= floor) throw new UnprocessableException(`requestedDueAt must be after the current deadline ${floor.toISOString()}`);
      this.requireWithinExtensionCap(order, floor, requested, await deadlines());
      await this.requireWithinParentDeadline(order, requested, context);
      return {
        toStatus: order.status,
        changes: { extensionRequestedDueAt: requested, extensionReason: dto.reason },
        reason: dto.reason,
        payload: { currentReplyDueAt: order.replyDueAt?.toISOString() ?? null, requestedDueAt: requested.toISOString() },
      };
    }, PARENT);
  }

  approveExtension(caller: AuthUser, id: number, dto: NoteActionDto) {
    return this.perform(caller, id, 'approve-extension', dto.version, async (context) => {
      const { order, now, deadlines } = context;
      if (order.extensionRequestedDueAt && order.extensionRequestedDueAt <= now) {
        throw new UnprocessableException('The requested due date has already passed: refuse the request and let the unit ask again');
      }
      // The parent's deadline may have moved since the request was made, and so may this order's (a resume, a
      // supervision): the cap is checked again against the deadline the extension really moves.
      await this.requireWithinParentDeadline(order, order.extensionRequestedDueAt, context);
      const policy = await deadlines();
      const added =
        order.extensionRequestedDueAt && order.replyDueAt ? this.requireWithinExtensionCap(order, order.replyDueAt, order.extensionRequestedDueAt, policy) : 0;
      return {
        toStatus: order.status,
        changes: {
          replyDueAt: order.extensionRequestedDueAt,
          extensionRequestedDueAt: null,
          extensionReason: null,
          extensionApprovedMinutes: order.extensionApprovedMinutes + added,
        },
        reason: dto.note ?? null,
        payload: {
          previousReplyDueAt: order.replyDueAt?.toISOString() ?? null,
          replyDueAt: order.extensionRequestedDueAt?.toISOString() ?? null,
          extensionMinutes: added,
          extensionApprovedMinutes: order.extensionApprovedMinutes + added,
        },
      };
    }, PARENT);
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
    return this.perform(caller, id, 'resume', dto.version, async ({ order, manager, now, deadlines, locked }) => {
      // Every clock stood still while suspended: each deadline that was running moves on by the working time the
      // order spent suspended (by the elapsed time for a calendar-hour limit).
      const policy = await deadlines();
      const suspendedAt = order.suspendedAt ?? now;
      const pausedMs = Math.max(0, now.getTime() - suspendedAt.getTime());
      const pausedWorkingMinutes = Math.max(0, policy.calendar.workingMinutesBetween(suspendedAt, now));
      const back = order.statusBeforeSuspension ?? 'processing';
      const replyLimit = replyLimitOf(order);
      const shift = (d: Date | null, limit: Parameters<OrderDeadlines['afterSuspension']>[3], running = true) =>
        d !== null && running ? policy.afterSuspension(d, suspendedAt, now, limit) : d;
      let replyDueAt = shift(order.replyDueAt, replyLimit);
      let acceptDueAt = shift(order.acceptDueAt, 'accept', back === 'dispatched');
      let contactDueAt = shift(order.contactDueAt, 'contact', order.firstContactAt === null);
      // A return window that had closed before the suspension stays closed.
      let returnDeadlineAt = shift(order.returnDeadlineAt, 'returnWindow', order.returnDeadlineAt !== null && order.returnDeadlineAt > suspendedAt);
      const replyClockStartedAt = shift(order.replyClockStartedAt, replyLimit);
      // A child never ends up due after its parent: resuming is not refused (the order would be stuck
      // suspended), the shifted deadline stops at the parent's instead.
      const parent = order.parentId !== null ? (locked.get(order.parentId) ?? (await this.workOrders.findById(order.parentId, manager))) : null;
      const cap = parent?.replyDueAt ?? null;
      const clamped = cap !== null && replyDueAt !== null && replyDueAt > cap;
      if (clamped) replyDueAt = cap;
      if (cap !== null) {
        if (acceptDueAt !== null && acceptDueAt > cap) acceptDueAt = cap;
        if (contactDueAt !== null && contactDueAt > cap) contactDueAt = cap;
        if (returnDeadlineAt !== null && returnDeadlineAt > cap) returnDeadlineAt = cap;
      }
      return {
        toStatus: back,
        changes: { statusBeforeSuspension: null, suspendedAt: null, replyDueAt, acceptDueAt, contactDueAt, returnDeadlineAt, replyClockStartedAt },
        reason: dto.note ?? null,
        payload: {
          suspendedMilliseconds: pausedMs,
          suspendedWorkingMinutes: Math.round(pausedWorkingMinutes * 1000) / 1000,
          replyDueAt: replyDueAt?.toISOString() ?? null,
          ...(clamped ? { replyDueAtCappedByParent: cap?.toISOString() } : {}),
        },
      };
    }, PARENT);
  }

  remind(caller: AuthUser, id: number, dto: RemindDto) {
    return this.perform(caller, id, 'remind', dto.version, async ({ order }) => ({
      toStatus: order.status,
      changes: { reminderCount: order.reminderCount + 1 },
      reason: dto.message ?? null,
    }));
  }

  supervise(caller: AuthUser, id: number, dto: SuperviseDto) {
    return this.perform(caller, id, 'supervise', dto.version, async (context) => {
      const { order, manager, now } = context;
      const replyDueAt = new Date(dto.replyDueAt);
      if (replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      await this.requireWithinParentDeadline(order, replyDueAt, context);
      // Moving a parent's deadline before an open child's is refused, not silently cut down: the supervisor
      // supervises the child first (with its own instruction), then the parent.
      // The children are write-locked (after the parent: ids ascend) and read as locked, so that a child's
      // extension approved in parallel cannot slip past the parent's new deadline.
      const childIds = (await this.workOrders.openChildrenOf(order.id, manager)).map((c) => c.id);
      const children = await this.workOrders.lockInIdOrder(childIds, manager);
      const dueLater = children.filter((c) => OPEN_STATUSES.includes(c.status) && c.replyDueAt && c.replyDueAt > replyDueAt);
      if (dueLater.length > 0) {
        throw new UnprocessableException(
          `Child orders ${dueLater.map((c) => c.number).join(', ')} are due after ${replyDueAt.toISOString()}: supervise them with an earlier deadline first`,
          { childIds: dueLater.map((c) => c.id) },
        );
      }
      return {
        toStatus: order.status,
        // A new reply deadline: its clock, its warning and its escalation start over.
        changes: { supervised: true, replyDueAt, replyClockStartedAt: now, ...FRESH_WARNING },
        reason: dto.instruction,
        payload: { previousReplyDueAt: order.replyDueAt?.toISOString() ?? null, replyDueAt: replyDueAt.toISOString() },
      };
    }, PARENT);
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
    // Likewise the calendar overrides: refreshed here, so that the deadlines inside use the copy in memory.
    await this.deadlines.refreshCalendar();
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
      let policy: Promise<OrderDeadlines> | null = null;
      const deadlines = () => (policy ??= this.deadlines.forOrder(order, manager));
      const outcome = await apply({ order, manager, now, locked, deadlines });
      const updated = await this.workOrders.updateIfVersion(
        order.id,
        version,
        { ...this.deadlineCheck(action, outcome.toStatus, now), ...outcome.changes, status: outcome.toStatus, updatedAt: now },
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

  /**
   * The scheduler's next look at the order (the contract with the escalation scheduler): now after any transition
   * that can start, stop or move a running deadline, so that the next tick computes the real next check; null when
   * no deadline runs any more (suspended, in review, awaiting callback, closed, merged, cancelled), and then the
   * warning level is cleared too, except while suspended.
   */
  private deadlineCheck(action: WorkOrderAction, toStatus: WorkOrderStatus, now: Date): Partial<WorkOrder> {
    if (DEADLINE_NEUTRAL.includes(action)) return {};
    if (!NO_RUNNING_DEADLINE.includes(toStatus)) return { deadlineCheckAt: now };
    // Out of the unit's hands: nothing is late any more, so `?warning=red` lists only what is overdue now.
    // Lateness stays recorded in the *LateMinutes columns; a suspended order keeps its level until it resumes.
    return toStatus === 'suspended' ? { deadlineCheckAt: null } : { deadlineCheckAt: null, warningLevel: 'none' };
  }

  /**
   * The total of approved extensions may never pass the rule's cap. Returns the working minutes this extension
   * adds; 422 saying the cap and what is left when it would pass it.
   */
  private requireWithinExtensionCap(order: WorkOrder, from: Date, to: Date, policy: OrderDeadlines): number {
    const asked = policy.extensionMinutes(from, to);
    const cap = policy.extensionCapMinutes();
    const left = Math.max(0, cap - order.extensionApprovedMinutes);
    if (asked > left) {
      throw new UnprocessableException(
        `Extensions of one order may add at most ${policy.describeWorkingMinutes(cap)} in total: ${policy.describeWorkingMinutes(left)} left, and this one asks for ${policy.describeWorkingMinutes(asked)}`,
        { capMinutes: cap, approvedMinutes: order.extensionApprovedMinutes, leftMinutes: left, requestedMinutes: asked },
      );
    }
    return asked;
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
  private async requireWithinParentDeadline(order: WorkOrder, replyDueAt: Date | null, { manager, locked }: ActionContext): Promise<void> {
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
  private async requireHandlingUnit(unitId: number, what: string): Promise<Unit> {
    const unit = await this.units.find(unitId);
    if (!unit) throw new UnprocessableException(`${what} ${unitId} does not exist`);
    if (!unit.active) throw new UnprocessableException(`${what} ${unit.name} is inactive`);
    if (unit.type === 'center') throw new UnprocessableException(`${what} cannot be the hotline center itself`);
    return unit;
  }
}

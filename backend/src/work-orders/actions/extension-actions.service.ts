import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { UnprocessableException } from '../../common/exceptions';
import { replyLimitOf } from '../../deadlines/deadline-limits';
import type { OrderDeadlines } from '../../deadlines/deadline-policy';
import type { NoteActionDto, ReasonActionDto, RemindDto, RequestExtensionDto, SuperviseDto } from '../dto/action.dto';
import type { WorkOrder } from '../entities/work-order.entity';
import { OPEN_STATUSES } from '../work-order.enums';
import type { WorkOrderDetailView } from '../work-order.view';
import { FRESH_WARNING, PARENT, WorkOrderTransitions } from './work-order-transitions';

/** Extension (延期) and suspension (挂起), and pressure on late orders: reminders (催办) and supervision (督办). */
@Injectable()
export class ExtensionActions {
  constructor(private readonly transitions: WorkOrderTransitions) {}

  requestExtension(caller: AuthUser, id: number, dto: RequestExtensionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'request-extension', id, version: dto.version, otherOrders: PARENT }, async (context) => {
      const { order, now, deadlines } = context;
      const requested = new Date(dto.requestedDueAt);
      if (order.replyDueAt && order.replyDueAt <= now) {
        throw new UnprocessableException('The reply deadline has already passed: extensions must be requested before it');
      }
      const floor = order.replyDueAt ?? now;
      if (requested <= floor) throw new UnprocessableException(`requestedDueAt must be after the current deadline ${floor.toISOString()}`);
      this.requireWithinExtensionCap(order, floor, requested, await deadlines());
      await this.transitions.requireWithinParentDeadline(order, requested, context);
      return {
        changes: { extensionRequestedDueAt: requested, extensionReason: dto.reason },
        reason: dto.reason,
        payload: { currentReplyDueAt: order.replyDueAt?.toISOString() ?? null, requestedDueAt: requested.toISOString() },
      };
    });
  }

  approveExtension(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'approve-extension', id, version: dto.version, otherOrders: PARENT }, async (context) => {
      const { order, now, deadlines } = context;
      if (order.extensionRequestedDueAt && order.extensionRequestedDueAt <= now) {
        throw new UnprocessableException('The requested due date has already passed: refuse the request and let the unit ask again');
      }
      // The parent's deadline may have moved since the request was made, and so may this order's (a resume, a
      // supervision): the cap is checked again against the deadline the extension really moves.
      await this.transitions.requireWithinParentDeadline(order, order.extensionRequestedDueAt, context);
      const policy = await deadlines();
      const added =
        order.extensionRequestedDueAt && order.replyDueAt ? this.requireWithinExtensionCap(order, order.replyDueAt, order.extensionRequestedDueAt, policy) : 0;
      return {
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
    });
  }

  refuseExtension(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'refuse-extension', id, version: dto.version }, ({ order }) => ({
      changes: { extensionRequestedDueAt: null, extensionReason: null },
      reason: dto.reason,
      payload: { requestedDueAt: order.extensionRequestedDueAt?.toISOString() ?? null },
    }));
  }

  suspend(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'suspend', id, version: dto.version }, ({ order, now }) => ({
      changes: { statusBeforeSuspension: order.status, suspendedAt: now },
      reason: dto.reason,
    }));
  }

  resume(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'resume', id, version: dto.version, otherOrders: PARENT }, async ({ order, manager, now, deadlines, locked }) => {
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
      const parent = order.parentId !== null ? (locked.get(order.parentId) ?? (await this.transitions.workOrders.findById(order.parentId, manager))) : null;
      const cap = parent?.replyDueAt ?? null;
      const clamped = cap !== null && replyDueAt !== null && replyDueAt > cap;
      if (clamped) replyDueAt = cap;
      if (cap !== null) {
        if (acceptDueAt !== null && acceptDueAt > cap) acceptDueAt = cap;
        if (contactDueAt !== null && contactDueAt > cap) contactDueAt = cap;
        if (returnDeadlineAt !== null && returnDeadlineAt > cap) returnDeadlineAt = cap;
      }
      return {
        changes: { statusBeforeSuspension: null, suspendedAt: null, replyDueAt, acceptDueAt, contactDueAt, returnDeadlineAt, replyClockStartedAt },
        reason: dto.note ?? null,
        payload: {
          suspendedMilliseconds: pausedMs,
          suspendedWorkingMinutes: Math.round(pausedWorkingMinutes * 1000) / 1000,
          replyDueAt: replyDueAt?.toISOString() ?? null,
          ...(clamped ? { replyDueAtCappedByParent: cap?.toISOString() } : {}),
        },
      };
    });
  }

  remind(caller: AuthUser, id: number, dto: RemindDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'remind', id, version: dto.version }, ({ order }) => ({
      changes: { reminderCount: order.reminderCount + 1 },
      reason: dto.message ?? null,
    }));
  }

  supervise(caller: AuthUser, id: number, dto: SuperviseDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'supervise', id, version: dto.version, otherOrders: PARENT }, async (context) => {
      const { order, manager, now } = context;
      const replyDueAt = new Date(dto.replyDueAt);
      if (replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      await this.transitions.requireWithinParentDeadline(order, replyDueAt, context);
      // Moving a parent's deadline before an open child's is refused, not silently cut down: the supervisor
      // supervises the child first (with its own instruction), then the parent.
      // The children are write-locked (after the parent: ids ascend) and read as locked, so that a child's
      // extension approved in parallel cannot slip past the parent's new deadline.
      const childIds = (await this.transitions.workOrders.openChildrenOf(order.id, manager)).map((c) => c.id);
      const children = await this.transitions.workOrders.lockInIdOrder(childIds, manager);
      const dueLater = children.filter((c) => OPEN_STATUSES.includes(c.status) && c.replyDueAt && c.replyDueAt > replyDueAt);
      if (dueLater.length > 0) {
        throw new UnprocessableException(
          `Child orders ${dueLater.map((c) => c.number).join(', ')} are due after ${replyDueAt.toISOString()}: supervise them with an earlier deadline first`,
          { childIds: dueLater.map((c) => c.id) },
        );
      }
      return {
        // A new reply deadline: its clock, its warning and its escalation start over.
        changes: { supervised: true, replyDueAt, replyClockStartedAt: now, ...FRESH_WARNING },
        reason: dto.instruction,
        payload: { previousReplyDueAt: order.replyDueAt?.toISOString() ?? null, replyDueAt: replyDueAt.toISOString() },
      };
    });
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
}

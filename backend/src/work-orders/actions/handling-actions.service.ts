import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttachmentsService } from '../../attachments/attachments.service';
import type { AuthUser } from '../../auth/auth-user';
import { UnprocessableException } from '../../common/exceptions';
import { replyLimitOf } from '../../deadlines/deadline-limits';
import { WorkOrderSearch } from '../../search/work-order-search';
import { isUnitRole } from '../../users/role';
import type { ContactDto, NoteActionDto, ReasonActionDto, ReplyDto, SubDispatchDto } from '../dto/action.dto';
import type { AssignDto, AssistReplyDto } from '../dto/handling-actions.dto';
import type { WorkOrder } from '../entities/work-order.entity';
import { WorkOrderNumbers } from '../work-order-numbers';
import type { WorkOrderDetailView } from '../work-order.view';
import { earliest, WorkOrderTransitions, type ActionContext } from './work-order-transitions';

/**
 * Handling inside the units: assignment (分派), sub-dispatch (下派), first contact (先行联系), the assisting units'
 * parts (协办), the reply (答复) and the leader's sign-off (领导审签).
 */
@Injectable()
export class HandlingActions {
  constructor(
    private readonly transitions: WorkOrderTransitions,
    private readonly attachments: AttachmentsService,
    private readonly numbers: WorkOrderNumbers,
    private readonly search: WorkOrderSearch,
  ) {}

  subDispatch(caller: AuthUser, id: number, dto: SubDispatchDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'sub-dispatch', id, version: dto.version }, async ({ order, manager, now, deadlines }) => {
      const unit = await this.transitions.requireHandlingUnit(dto.unitId, 'Unit');
      if (order.leadUnitId === null || !(await this.transitions.units.isStrictDescendant(unit.id, order.leadUnitId))) {
        throw new UnprocessableException(`${unit.name} is not a unit below the lead unit: sub-dispatch goes to subordinate units only`);
      }
      // The child's own limits run from now; its reply is due by the rule or by the parent's deadline, whichever comes first.
      const own = (await deadlines()).onDispatch(now);
      const replyDueAt = dto.replyDueAt ? new Date(dto.replyDueAt) : earliest(own.replyDueAt, order.replyDueAt);
      if (replyDueAt <= now) throw new UnprocessableException('replyDueAt must be in the future');
      if (order.replyDueAt && replyDueAt > order.replyDueAt) {
        throw new UnprocessableException(`The child's deadline may not be later than the parent's (${order.replyDueAt.toISOString()})`);
      }
      const child = await this.transitions.workOrders.insert(
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
      await this.search.index(child, manager);
      return {
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

  contact(caller: AuthUser, id: number, dto: ContactDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'contact', id, version: dto.version }, async ({ order, now, deadlines }) => {
      const first = order.firstContactAt === null;
      const late = first ? (await deadlines()).lateMinutes(order.contactDueAt, now, 'contact') : null;
      return {
        changes: first ? { firstContactAt: now, contactLateMinutes: late } : {},
        reason: dto.note,
        payload: { method: dto.method, first, ...(late === null ? {} : { contactLateMinutes: late }) },
      };
    });
  }

  /**
   * 分派: the lead unit's admin gives the order to one of the unit's staff (handler or admin), or to another one
   * (reassigning); the assignee hears of it in the bell.
   */
  assign(caller: AuthUser, id: number, dto: AssignDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'assign', id, version: dto.version }, async ({ order, manager }) => {
      const assignee = await this.transitions.workOrders.findUserForAssignment(dto.assigneeId, manager);
      if (!assignee) throw new UnprocessableException(`User ${dto.assigneeId} does not exist`);
      if (!assignee.active) throw new UnprocessableException(`${assignee.displayName} is inactive: assign the order to an active user`);
      if (assignee.unitId !== order.leadUnitId || !isUnitRole(assignee.role)) {
        const lead = order.leadUnit?.name ?? `unit ${order.leadUnitId}`;
        throw new UnprocessableException(`${assignee.displayName} is not a handler or admin of the lead unit ${lead}: assign the order to its own staff`);
      }
      if (assignee.id === order.assigneeId) throw new UnprocessableException(`The order is already assigned to ${assignee.displayName}`);
      return {
        changes: { assigneeId: assignee.id },
        reason: dto.note ?? null,
        payload: { assigneeId: assignee.id, assigneeName: assignee.displayName, previousAssigneeId: order.assigneeId },
        // The previous assignee hears that the order left them (the new one is on the order now).
        alsoNotifyUserIds: [order.assigneeId],
        notices: [
          {
            userIds: [assignee.id],
            content: { kind: 'work_order.assigned', title: `分派工单 ${order.number}：${order.title}`, body: dto.note ?? null, payload: { assignedById: caller.id } },
          },
        ],
      };
    });
  }

  /**
   * 答复. With the lead unit's 领导审签 on, a handler's reply waits for the unit's admin (unit_review; the rule table
   * decides): it is stored as the unit's draft, and its lateness is measured when it reaches the center.
   */
  reply(caller: AuthUser, id: number, dto: ReplyDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'reply', id, version: dto.version }, async ({ order, manager, now, to, deadlines }) => {
      const bind = () => this.attachments.bindToWorkOrder(caller, dto.attachmentIds, order.id, 'reply', manager);
      // A reply settles any extension request still waiting for a decision.
      const settled = { reply: dto.content, extensionRequestedDueAt: null, extensionReason: null };
      if (to === 'unit_review') {
        return { changes: settled, payload: { content: dto.content, attachmentIds: dto.attachmentIds ?? [], signOff: true }, afterUpdate: bind };
      }
      const late = await this.replyLateness(order, manager, now, deadlines);
      return {
        changes: { ...settled, repliedAt: now, replyLateMinutes: late ?? order.replyLateMinutes },
        payload: { content: dto.content, attachmentIds: dto.attachmentIds ?? [], ...(late === null ? {} : { replyLateMinutes: late }) },
        afterUpdate: bind,
      };
    });
  }

  /** 领导审签 approved: the reply goes to the center, and only now is it measured against the reply deadline. */
  unitApproveReply(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'unit-approve-reply', id, version: dto.version }, async ({ order, manager, now, deadlines }) => {
      const late = await this.replyLateness(order, manager, now, deadlines);
      return {
        changes: { repliedAt: now, replyLateMinutes: late ?? order.replyLateMinutes },
        reason: dto.note ?? null,
        payload: late === null ? null : { replyLateMinutes: late },
      };
    });
  }

  /** 领导审签 refused: back to the unit's handling, with the reason; the reply deadline runs on. */
  unitRejectReply(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'unit-reject-reply', id, version: dto.version }, () => Promise.resolve({ reason: dto.reason }));
  }

  /**
   * 协办: an assisting unit submits its part (again: the text is replaced; every submission is on the timeline). The
   * first submission after the part's due date records its lateness in working minutes.
   */
  assistReply(caller: AuthUser, id: number, dto: AssistReplyDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'assist-reply', id, version: dto.version }, async ({ order, manager, now, deadlines }) => {
      const part = (order.assistingUnits ?? []).find((a) => a.unitId === caller.unitId);
      // The rule table let the caller act only as an assisting unit of the order, so its row exists.
      if (!part) throw new UnprocessableException(`${caller.unitName} is not an assisting unit of work order ${order.number}`);
      const first = part.repliedAt === null;
      const late = first ? (await deadlines()).assistLateMinutes(part.dueAt, now) : part.lateMinutes;
      return {
        reason: null,
        payload: {
          unitId: caller.unitId,
          unitName: caller.unitName,
          content: dto.content,
          attachmentIds: dto.attachmentIds ?? [],
          first,
          ...(first && late !== null ? { lateMinutes: late } : {}),
        },
        afterUpdate: async () => {
          await this.transitions.workOrders.saveAssistingPart(order.id, caller.unitId, { reply: dto.content, repliedAt: now, repliedById: caller.id, lateMinutes: late }, manager);
          await this.attachments.bindToWorkOrder(caller, dto.attachmentIds, order.id, 'assist-reply', manager);
        },
      };
    });
  }

  /**
   * A late reply is recorded as it reaches the center (the latest late reply of a reopened order replaces an earlier
   * one). A supervision that set a new deadline after the old one had passed does not make the reply timely: the
   * lateness runs from the first deadline of this round that was missed.
   */
  private async replyLateness(order: WorkOrder, manager: EntityManager, now: Date, deadlines: ActionContext['deadlines']): Promise<number | null> {
    const missed = order.replyClockStartedAt ? await this.transitions.workOrders.earliestMissedReplyDeadline(order.id, order.replyClockStartedAt, manager) : null;
    return (await deadlines()).lateMinutes(missed ?? order.replyDueAt, now, replyLimitOf(order));
  }
}

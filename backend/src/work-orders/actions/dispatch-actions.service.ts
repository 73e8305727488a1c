import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { UnprocessableException } from '../../common/exceptions';
import type { Unit } from '../../units/unit.entity';
import type { DispatchDto, InvalidateDto, NoteActionDto, ReasonActionDto, RecallDto, ResolveDirectlyDto, ReturnDto } from '../dto/action.dto';
import type { WorkOrder } from '../entities/work-order.entity';
import type { WorkOrderDetailView } from '../work-order.view';
import { FRESH_WARNING, WorkOrderTransitions, type ActionContext, type Effects, type Notice } from './work-order-transitions';

/** What the center has to clear when an order goes back to dispatch (an approved return, a recall). */
const BACK_TO_DISPATCH = {
  leadUnitId: null,
  assigneeId: null,
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
} as const satisfies Partial<WorkOrder>;

/** Intake and dispatch (受理, 直办, 无效, 派单, 改派) and the lead unit's return (退单). */
@Injectable()
export class DispatchActions {
  constructor(private readonly transitions: WorkOrderTransitions) {}

  resolveDirectly(caller: AuthUser, id: number, dto: ResolveDirectlyDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'resolve-directly', id, version: dto.version }, ({ now }) => ({
      changes: { reply: dto.answer, repliedAt: now, closedAt: now, callbackOutcome: 'not_required' },
      payload: { answer: dto.answer },
    }));
  }

  /** 无效工单: a test call, a prank, a call without content, a repeated call; counted apart in the statistics. */
  invalidate(caller: AuthUser, id: number, dto: InvalidateDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'invalidate', id, version: dto.version }, ({ now }) => ({
      changes: { invalidReason: dto.reasonCode, closedAt: now, dispatchDueAt: null },
      reason: dto.reason,
      payload: { reasonCode: dto.reasonCode },
    }));
  }

  /** A supervisor takes an invalid order back: it waits for dispatch again, with a new dispatch limit. */
  restore(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'restore', id, version: dto.version }, async ({ order, now, deadlines }) => ({
      changes: { invalidReason: null, closedAt: null, ...(await deadlines()).onRegister(now), ...FRESH_WARNING },
      reason: dto.reason,
      payload: { previousReasonCode: order.invalidReason },
    }));
  }

  dispatch(caller: AuthUser, id: number, dto: DispatchDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'dispatch', id, version: dto.version }, async (context) => {
      const { order } = context;
      // The category came with the order (read in the transaction; no second connection needed).
      const leadUnitId = dto.leadUnitId ?? order.category?.defaultLeadUnitId;
      if (!leadUnitId) throw new UnprocessableException('The category has no default lead unit: send leadUnitId');
      const sent = await this.sendTo(context, leadUnitId, dto.assistingUnitIds ?? [], dto.assistDueAt);
      return { ...sent, reason: dto.note ?? null };
    });
  }

  /**
   * 改派: the center takes a dispatched order back from its lead unit — before acceptance freely, after it (or while a
   * return waits) with a reason — and either dispatches it to another unit at once or leaves it waiting for dispatch.
   * The unit that lost it is told; every deadline starts over.
   */
  recall(caller: AuthUser, id: number, dto: RecallDto): Promise<WorkOrderDetailView> {
    const redispatch = dto.leadUnitId !== undefined;
    return this.transitions.run(caller, { action: 'recall', id, version: dto.version, choice: { redispatch } }, async (context) => {
      const { order, manager, now, deadlines } = context;
      if (order.acceptedAt !== null && !dto.reason?.trim()) {
        throw new UnprocessableException(`Work order ${order.number} was accepted by its unit: recalling it needs a reason`);
      }
      if (!redispatch && ((dto.assistingUnitIds?.length ?? 0) > 0 || dto.assistDueAt !== undefined)) {
        throw new UnprocessableException('assistingUnitIds and assistDueAt go with leadUnitId: name the new lead unit too, or send neither');
      }
      if (redispatch && dto.leadUnitId === order.leadUnitId) {
        throw new UnprocessableException('The order is already with this lead unit: recall it to another unit, or without leadUnitId to send it back to dispatch');
      }
      const previous = { leadUnitId: order.leadUnitId, leadUnitName: order.leadUnit?.name ?? null };
      const losing = [order.leadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId)];
      const recalled = (number: string, reason: string | undefined): Notice => ({
        unitIds: losing,
        content: { kind: 'work_order.recalled', title: `工单 ${number} 已被中心收回改派`, body: reason ?? null },
      });
      // A return waiting for a decision is settled by the recall: approved, since the order leaves the unit.
      const settleReturn = () => this.transitions.workOrders.decidePendingReturn(order.id, 'approved', caller.id, now, manager);
      if (redispatch && dto.leadUnitId !== undefined) {
        const sent = await this.sendTo(context, dto.leadUnitId, dto.assistingUnitIds ?? [], dto.assistDueAt);
        return {
          changes: { ...BACK_TO_DISPATCH, ...sent.changes },
          reason: dto.reason ?? null,
          payload: { ...previous, redispatched: true, ...sent.payload },
          afterUpdate: async () => {
            await settleReturn();
            await sent.afterUpdate();
          },
          alsoNotifyUnitIds: [...losing, ...sent.alsoNotifyUnitIds],
          notices: [recalled(order.number, dto.reason), ...sent.notices],
        };
      }
      return {
        changes: { ...BACK_TO_DISPATCH, ...(await deadlines()).onRegister(now), ...FRESH_WARNING },
        reason: dto.reason ?? null,
        payload: { ...previous, redispatched: false },
        afterUpdate: async () => {
          await settleReturn();
          await this.transitions.workOrders.replaceAssistingUnits(order, [], manager);
        },
        alsoNotifyUnitIds: losing,
        notices: [recalled(order.number, dto.reason)],
      };
    });
  }

  accept(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'accept', id, version: dto.version }, async ({ order, now, deadlines }) => {
      const late = (await deadlines()).lateMinutes(order.acceptDueAt, now, 'accept');
      return {
        changes: { acceptedAt: now, acceptLateMinutes: late ?? order.acceptLateMinutes },
        reason: dto.note ?? null,
        payload: late === null ? null : { acceptLateMinutes: late },
      };
    });
  }

  /** 退单: the reason is chosen from a list and explained; the unit may name the unit it thinks is responsible. */
  requestReturn(caller: AuthUser, id: number, dto: ReturnDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'return', id, version: dto.version }, async ({ order, manager, now }) => {
      let suggested: Unit | null = null;
      if (dto.suggestedUnitId !== undefined) {
        suggested = await this.transitions.requireHandlingUnit(dto.suggestedUnitId, 'Suggested unit');
        if (suggested.id === order.leadUnitId) throw new UnprocessableException('The suggested unit is the unit returning the order: name another unit');
      }
      const unitId = order.leadUnitId ?? caller.unitId;
      return {
        changes: { returnCount: order.returnCount + 1 },
        reason: dto.reason,
        payload: { reasonCode: dto.reasonCode, unitId, suggestedUnitId: suggested?.id ?? null, suggestedUnitName: suggested?.name ?? null },
        afterUpdate: async () => {
          await this.transitions.workOrders.insertReturn(
            { workOrderId: order.id, unitId, reasonCode: dto.reasonCode, reason: dto.reason, suggestedUnitId: suggested?.id ?? null, requestedById: caller.id, requestedAt: now },
            manager,
          );
        },
      };
    });
  }

  approveReturn(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'approve-return', id, version: dto.version }, async ({ order, manager, now, to, deadlines }) => {
      const decide = () => this.transitions.workOrders.decidePendingReturn(order.id, 'approved', caller.id, now, manager);
      if (to === 'cancelled') {
        // A child order goes back to its parent unit, which handles the matter itself or passes it elsewhere.
        return { changes: { closedAt: now }, reason: dto.note ?? null, afterUpdate: decide };
      }
      return {
        // Back with the center: a new dispatch limit runs from now.
        changes: { ...BACK_TO_DISPATCH, ...(await deadlines()).onRegister(now), ...FRESH_WARNING },
        reason: dto.note ?? null,
        payload: { returnedByUnitId: order.leadUnitId },
        afterUpdate: async () => {
          await decide();
          await this.transitions.workOrders.replaceAssistingUnits(order, [], manager);
        },
        alsoNotifyUnitIds: [order.leadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId)],
      };
    });
  }

  rejectReturn(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'reject-return', id, version: dto.version }, async ({ order, manager, now, deadlines }) => {
      // Returned before accepting: the refusal accepts it on the unit's behalf, late if the acceptance limit passed.
      const late = order.acceptedAt === null ? (await deadlines()).lateMinutes(order.acceptDueAt, now, 'accept') : null;
      return {
        changes: { acceptedAt: order.acceptedAt ?? now, acceptLateMinutes: late ?? order.acceptLateMinutes },
        reason: dto.reason,
        afterUpdate: () => this.transitions.workOrders.decidePendingReturn(order.id, 'rejected', caller.id, now, manager),
      };
    });
  }

  /**
   * Sends the order to a lead unit (and assisting units): the changes, the timeline payload and the writes after the
   * update. Dispatch and recall use it, and so does the ruling (RulingActions): a ruling is the order's new dispatch.
   */
  async sendTo(
    { order, manager, now, deadlines }: ActionContext,
    leadUnitId: number,
    assistingIds: number[],
    assistDueAtText?: string,
  ): Promise<Required<Pick<Effects, 'changes' | 'payload' | 'afterUpdate' | 'notices'>> & { alsoNotifyUnitIds: number[] }> {
    const lead = await this.transitions.requireHandlingUnit(leadUnitId, 'Lead unit');
    if (assistingIds.includes(leadUnitId)) throw new UnprocessableException('The lead unit cannot also be an assisting unit');
    const assisting: Unit[] = [];
    for (const unitId of assistingIds) assisting.push(await this.transitions.requireHandlingUnit(unitId, 'Assisting unit'));
    const policy = await deadlines();
    const due = policy.onDispatch(now);
    // 协办期限: each assisting unit's part is due before the lead's reply (one working day before it by default).
    if (assistDueAtText !== undefined && assistingIds.length === 0) throw new UnprocessableException('assistDueAt goes with assistingUnitIds: name the assisting units too');
    const assistDueAt = assistDueAtText !== undefined ? new Date(assistDueAtText) : policy.assistDueAt(due.replyDueAt, now);
    if (assistDueAt <= now) throw new UnprocessableException(`assistDueAt must be in the future: ${assistDueAt.toISOString()} has passed`);
    if (assistDueAt > due.replyDueAt) {
      throw new UnprocessableException(`assistDueAt may not be after the lead unit's reply deadline: ${assistDueAt.toISOString()} is after ${due.replyDueAt.toISOString()}`, {
        replyDueAt: due.replyDueAt.toISOString(),
      });
    }
    return {
      changes: { leadUnitId, dispatchedAt: now, ...due, acceptedAt: null, assigneeId: null, ...FRESH_WARNING },
      payload: {
        leadUnitId,
        leadUnitName: lead.name,
        assistingUnits: assisting.map((u) => ({ id: u.id, name: u.name })),
        ...(assisting.length > 0 ? { assistDueAt: assistDueAt.toISOString() } : {}),
        acceptDueAt: due.acceptDueAt.toISOString(),
        contactDueAt: due.contactDueAt.toISOString(),
        replyDueAt: due.replyDueAt.toISOString(),
        returnDeadlineAt: due.returnDeadlineAt.toISOString(),
      },
      afterUpdate: () => this.transitions.workOrders.replaceAssistingUnits(order, assistingIds, manager, assistDueAt),
      alsoNotifyUnitIds: assistingIds,
      // The lead unit's leaders and handlers (and the assisting units') see the new order in their bell.
      notices: [
        { unitIds: [leadUnitId], content: { kind: 'work_order.assigned', title: `新派工单 ${order.number}：${order.title}`.slice(0, 200), body: null } },
        ...(assistingIds.length > 0
          ? [{ unitIds: assistingIds, content: { kind: 'work_order.assigned' as const, title: `协办工单 ${order.number}：${order.title}`.slice(0, 200), body: null } }]
          : []),
      ],
    };
  }
}

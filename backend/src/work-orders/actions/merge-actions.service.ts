import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { ConflictWithDetailsException, UnprocessableException } from '../../common/exceptions';
import type { NoteActionDto, TargetOrderDto } from '../dto/action.dto';
import { OPEN_STATUSES, type WorkOrderStatus } from '../work-order.enums';
import type { WorkOrderDetailView } from '../work-order.view';
import { WorkOrderTransitions } from './work-order-transitions';

/**
 * Orders a repeat may be merged into: still being handled, so that the repeat closes with the target's reply (an order
 * whose reply was already approved would leave the repeat behind: register it as its own order, or link it).
 */
const OPEN_TARGET_STATUSES: readonly WorkOrderStatus[] = OPEN_STATUSES.filter((status) => status !== 'callback_pending');

/** Repeat complaints folded into one order (合并) and orders marked as related (关联). */
@Injectable()
export class MergeActions {
  constructor(private readonly transitions: WorkOrderTransitions) {}

  merge(caller: AuthUser, id: number, dto: TargetOrderDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'merge', id, version: dto.version, otherOrders: () => [dto.targetId] }, async (context) => {
      const { order, manager, now } = context;
      const target = await this.transitions.requireTarget(caller, order, dto.targetId, context);
      // Merges do not chain: an order with orders merged into it stays the one they point at (unmerge them first).
      const mergedIntoOrder = await this.transitions.workOrders.mergedIdsInto(order.id, manager);
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
        throw new UnprocessableException(`Work order ${target.number} is ${target.status}: merge only into an order still being handled (its reply not yet approved)`);
      }
      if (target.parentId !== null) throw new UnprocessableException(`Work order ${target.number} is a sub-dispatched child order: merge into its parent`);
      return {
        changes: { mergedIntoId: target.id, statusBeforeMerge: order.status },
        reason: dto.note ?? null,
        payload: { targetId: target.id, targetNumber: target.number },
        // The target's merged set changes: its version moves, so a stale action on it (or a crossed merge) answers 409.
        afterUpdate: () => this.transitions.bumpVersion(target, now, manager),
        related: [
          { order: target, action: 'merge', fromStatus: target.status, reason: dto.note ?? null, payload: { mergedWorkOrderId: order.id, mergedNumber: order.number } },
        ],
      };
    });
  }

  unmerge(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'unmerge', id, version: dto.version, otherOrders: (order) => [order.mergedIntoId] }, ({ order, manager, now, locked }) => {
      const target = order.mergedIntoId ? (locked.get(order.mergedIntoId) ?? null) : null;
      return {
        changes: { mergedIntoId: null, statusBeforeMerge: null },
        reason: dto.note ?? null,
        payload: { formerTargetId: order.mergedIntoId },
        afterUpdate: target ? () => this.transitions.bumpVersion(target, now, manager) : undefined,
        related: target
          ? [{ order: target, action: 'unmerge', fromStatus: target.status, reason: dto.note ?? null, payload: { unmergedWorkOrderId: order.id, unmergedNumber: order.number } }]
          : [],
      };
    });
  }

  link(caller: AuthUser, id: number, dto: TargetOrderDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'link', id, version: dto.version, otherOrders: () => [dto.targetId] }, async (context) => {
      const { order, manager, now } = context;
      const target = await this.transitions.requireTarget(caller, order, dto.targetId, context);
      const [lower, higher] = order.id < target.id ? [order.id, target.id] : [target.id, order.id];
      if (await this.transitions.workOrders.linkExists(lower, higher, manager)) {
        throw new ConflictWithDetailsException(`Work orders ${order.number} and ${target.number} are already linked`, { targetId: target.id });
      }
      return {
        reason: dto.note ?? null,
        payload: { targetId: target.id, targetNumber: target.number },
        afterUpdate: () => this.transitions.workOrders.insertLink(lower, higher, caller.id, now, manager),
        related: [{ order: target, action: 'link', fromStatus: target.status, reason: dto.note ?? null, payload: { targetId: order.id, targetNumber: order.number } }],
      };
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import type { RuleDto } from '../dto/rule.dto';
import type { WorkOrderDetailView } from '../work-order.view';
import { DispatchActions } from './dispatch-actions.service';
import { WorkOrderTransitions, type Notice } from './work-order-transitions';

/**
 * 裁定: a supervisor settles a disputed order (争议件, docs/shirking.md) by ruling it to a lead unit (and assisting
 * units). The ruling is a new dispatch (重新交办) to that unit, whatever the order's status was (registered, dispatched,
 * waiting for a return decision, processing): the unit accepts it again and every limit starts over from the ruling.
 * A return that was waiting is settled by it (rejected when the ruling names the returning unit, approved otherwise),
 * and the ruled unit can no longer return the order (the `return` rule's requirement, work-order-state-machine.ts).
 */
@Injectable()
export class RulingActions {
  constructor(
    private readonly transitions: WorkOrderTransitions,
    private readonly dispatch: DispatchActions,
  ) {}

  rule(caller: AuthUser, id: number, dto: RuleDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'rule', id, version: dto.version }, async (context) => {
      const { order, manager, now } = context;
      const assistingIds = dto.assistingUnitIds ?? [];
      // The same unit checks and limits as a dispatch now: the ruling is the order's new dispatch.
      const sent = await this.dispatch.sendTo(context, dto.leadUnitId, assistingIds);
      const losing = [order.leadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId)].filter(
        (unitId): unitId is number => unitId !== null && unitId !== dto.leadUnitId && !assistingIds.includes(unitId),
      );
      const title = (prefix: string) => `${prefix} ${order.number}：${order.title}`.slice(0, 200);
      const notices: Notice[] = [
        { unitIds: [dto.leadUnitId], content: { kind: 'work_order.ruled', title: title('裁定工单'), body: dto.reason } },
        ...(assistingIds.length > 0 ? [{ unitIds: assistingIds, content: { kind: 'work_order.ruled' as const, title: title('裁定协办'), body: dto.reason } }] : []),
        ...(losing.length > 0 ? [{ unitIds: losing, content: { kind: 'work_order.recalled' as const, title: `工单 ${order.number} 已由中心裁定给其他单位`, body: dto.reason } }] : []),
      ];
      return {
        changes: { ...sent.changes, firstContactAt: null, extensionRequestedDueAt: null, extensionReason: null, ruledUnitId: dto.leadUnitId, ruledAt: now },
        reason: dto.reason,
        payload: { ...sent.payload, previousLeadUnitId: order.leadUnitId, previousLeadUnitName: order.leadUnit?.name ?? null },
        afterUpdate: async () => {
          if (order.status === 'return_requested') {
            const decision = order.leadUnitId === dto.leadUnitId ? 'rejected' : 'approved';
            await this.transitions.workOrders.decidePendingReturn(order.id, decision, caller.id, now, manager);
          }
          await sent.afterUpdate();
        },
        alsoNotifyUnitIds: [...losing, dto.leadUnitId, ...sent.alsoNotifyUnitIds],
        notices,
      };
    });
  }
}

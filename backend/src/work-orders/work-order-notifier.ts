import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { AppEventBus } from '../events/app-events';
import { UnitsService } from '../units/units.service';
import type { WorkOrder } from './entities/work-order.entity';
import type { TimelineAction, WorkOrderStatus } from './work-order.enums';
import { WorkOrdersRepository } from './work-orders.repository';

/** Works out who is concerned by a change and publishes `workOrder.changed` (after the transaction committed). */
@Injectable()
export class WorkOrderNotifier {
  constructor(
    private readonly events: AppEventBus,
    private readonly units: UnitsService,
    private readonly workOrders: WorkOrdersRepository,
  ) {}

  async changed(
    order: WorkOrder,
    action: TimelineAction,
    fromStatus: WorkOrderStatus | null,
    actor: AuthUser | null,
    at: Date,
    extraUnitIds: (number | null | undefined)[] = [],
    extraUserIds: (number | null | undefined)[] = [],
  ): Promise<void> {
    const fresh = (await this.workOrders.findById(order.id)) ?? order;
    const parent = fresh.parentId ? await this.workOrders.findById(fresh.parentId) : null;
    await this.publish(fresh, parent?.leadUnitId ?? null, action, fromStatus, actor, at, extraUnitIds, extraUserIds);
  }

  /**
   * A new order, as registration just wrote it: nothing to re-read (no parent, no assisting units, no assignee yet),
   * so the event is built from the saved row itself.
   */
  async registered(order: WorkOrder, actor: AuthUser, at: Date): Promise<void> {
    await this.publish(order, null, 'register', null, actor, at, [], []);
  }

  private async publish(
    order: WorkOrder,
    parentLeadUnitId: number | null,
    action: TimelineAction,
    fromStatus: WorkOrderStatus | null,
    actor: AuthUser | null,
    at: Date,
    extraUnitIds: (number | null | undefined)[],
    extraUserIds: (number | null | undefined)[],
  ): Promise<void> {
    const direct = [order.leadUnitId, parentLeadUnitId, ...(order.assistingUnits ?? []).map((a) => a.unitId), ...extraUnitIds].filter(
      (id): id is number => typeof id === 'number',
    );
    // The unit tree is the units service's cached copy: no statement here.
    const withAncestors = new Set<number>(direct);
    for (const id of direct) for (const ancestor of await this.units.ancestorIds(id)) withAncestors.add(ancestor);
    const center = await this.units.centerUnit();
    if (center) withAncestors.add(center.id);
    const userIds = new Set<number>([order.registeredById]);
    if (actor) userIds.add(actor.id);
    if (order.assigneeId !== null) userIds.add(order.assigneeId);
    for (const id of extraUserIds) if (typeof id === 'number') userIds.add(id);
    this.events.emit('workOrder.changed', {
      workOrderId: order.id,
      number: order.number,
      action,
      fromStatus,
      toStatus: order.status,
      version: order.version,
      actorId: actor?.id ?? null,
      unitIds: [...withAncestors].sort((a, b) => a - b),
      userIds: [...userIds].sort((a, b) => a - b),
      at: at.toISOString(),
    });
  }
}

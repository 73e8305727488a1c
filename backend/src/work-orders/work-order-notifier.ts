import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { AppEventBus } from '../events/app-events';
import { UnitsService } from '../units/units.service';
import type { WorkOrder } from './entities/work-order.entity';
import type { TimelineAction, WorkOrderStatus } from './work-order.enums';
import { type OrderNotificationFacts, WorkOrdersRepository } from './work-orders.repository';

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
    // As committed now (the caller's object may be older), in one statement; the caller's object when the order is gone.
    const fresh = (await this.workOrders.notificationFacts(order.id)) ?? { ...factsOf(order), parentLeadUnitId: null };
    await this.publish(fresh, action, fromStatus, actor, at, extraUnitIds, extraUserIds);
  }

  /**
   * `changed` for several orders by the system (no actor) at one time, re-read in one statement: the repeat screening's
   * notes on a batch of orders.
   */
  async changedMany(changes: readonly { order: WorkOrder; fromStatus: WorkOrderStatus | null }[], action: TimelineAction, at: Date): Promise<void> {
    if (changes.length === 0) return;
    const fresh = await this.workOrders.notificationFactsOf(changes.map(({ order }) => order.id));
    for (const { order, fromStatus } of changes) {
      await this.publish(fresh.get(order.id) ?? { ...factsOf(order), parentLeadUnitId: null }, action, fromStatus, null, at, [], []);
    }
  }

  /**
   * A new order, as registration just wrote it: nothing to re-read (no parent, no assisting units, no assignee yet),
   * so the event is built from the saved row itself.
   */
  async registered(order: WorkOrder, actor: AuthUser, at: Date): Promise<void> {
    await this.publish({ ...factsOf(order), parentLeadUnitId: null }, 'register', null, actor, at, [], []);
  }

  private async publish(
    order: OrderNotificationFacts,
    action: TimelineAction,
    fromStatus: WorkOrderStatus | null,
    actor: AuthUser | null,
    at: Date,
    extraUnitIds: (number | null | undefined)[],
    extraUserIds: (number | null | undefined)[],
  ): Promise<void> {
    const direct = [order.leadUnitId, order.parentLeadUnitId, ...order.assistingUnitIds, ...extraUnitIds].filter(
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

/** The notification facts of an order object the caller holds (its assisting units as loaded; none when not loaded). */
function factsOf(order: WorkOrder): Omit<OrderNotificationFacts, 'parentLeadUnitId'> {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    version: order.version,
    leadUnitId: order.leadUnitId,
    assistingUnitIds: (order.assistingUnits ?? []).map((a) => a.unitId),
    registeredById: order.registeredById,
    assigneeId: order.assigneeId,
  };
}

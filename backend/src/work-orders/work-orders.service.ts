import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { CategoriesService } from '../categories/categories.service';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import type { Page } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { DeadlinePolicy } from '../deadlines/deadline-policy';
import { UnitsService } from '../units/units.service';
import type { ListWorkOrdersQueryDto } from './dto/list-work-orders.dto';
import { normalizePhone, type RegisterWorkOrderDto } from './dto/register-work-order.dto';
import type { WorkOrder } from './entities/work-order.entity';
import { WorkOrderAccess } from './work-order-access.service';
import { deadlinesOf } from './work-order-deadlines.view';
import { WorkOrderNotifier } from './work-order-notifier';
import { WorkOrderNumbers } from './work-order-numbers';
import { allowedActions, type OrderFacts } from './work-order-state-machine';
import {
  assistingPartsOf,
  redactPayload,
  referencedOrderIds,
  toSummaryView,
  toWorkOrderView,
  type AssistingPartView,
  type UserRef,
  type WorkOrderDetailView,
  type WorkOrderView, toReturnView } from './work-order.view';
import type { WorkOrderAssistingUnit } from './entities/work-order-assisting-unit.entity';
import { WorkOrdersRepository } from './work-orders.repository';
import { timelineActor } from './timeline-actor';
import { ESCALATION_CONFIG, type EscalationConfig } from '../escalation/escalation.config';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { callbackRequired, nextAttemptIsLast } from './callback-rules';

/** Registering, finding and reading work orders. The lifecycle actions live in WorkOrderActionsService. */
@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly workOrders: WorkOrdersRepository,
    private readonly access: WorkOrderAccess,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly attachments: AttachmentsService,
    private readonly numbers: WorkOrderNumbers,
    private readonly notifier: WorkOrderNotifier,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    private readonly deadlines: DeadlinePolicy,
    @Inject(ESCALATION_CONFIG) private readonly escalation: EscalationConfig,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(caller: AuthUser, dto: RegisterWorkOrderDto): Promise<WorkOrderDetailView> {
    const category = await this.categories.requireActiveLeaf(dto.categoryId);
    const requestType = dto.requestType ?? category.defaultRequestType;
    if (!requestType) {
      throw new UnprocessableException(`Category ${category.id} (${category.name}) has no default request type: send requestType`);
    }
    await this.checkLocation(dto.districtUnitId, dto.streetUnitId);
    const now = this.clock.now();
    const urgency = dto.urgency ?? 'normal';
    await this.deadlines.refreshCalendar();
    const order = await this.transactions.run(async (manager) => {
      // The center's dispatch limit starts now; the scheduler looks at the order from now on (deadlineCheckAt).
      const { dispatchDueAt } = (await this.deadlines.forOrder({ requestType, urgency, categoryId: category.id }, manager)).onRegister(now);
      const saved = await this.workOrders.insert(
        {
          number: await this.numbers.next(now, manager),
          requestType,
          urgency,
          channel: dto.channel,
          status: 'registered',
          dispatchDueAt,
          deadlineCheckAt: now,
          citizenName: dto.citizenName?.trim() || null,
          citizenPhone: dto.citizenPhone ? normalizePhone(dto.citizenPhone) : null,
          citizenConfidential: dto.citizenConfidential ?? false,
          address: dto.address.trim(),
          districtUnitId: dto.districtUnitId ?? null,
          streetUnitId: dto.streetUnitId ?? null,
          latitude: dto.latitude ?? null,
          longitude: dto.longitude ?? null,
          categoryId: category.id,
          title: dto.title.trim(),
          content: dto.content,
          registeredById: caller.id,
          createdAt: now,
          updatedAt: now,
        },
        manager,
      );
      await this.attachments.bindToWorkOrder(caller, dto.attachmentIds, saved.id, 'register', manager);
      await this.workOrders.appendEvent(
        {
          workOrderId: saved.id,
          action: 'register',
          fromStatus: null,
          toStatus: 'registered',
          ...timelineActor(caller),
          reason: null,
          payload: { channel: saved.channel, requestType, categoryId: category.id, dispatchDueAt: dispatchDueAt.toISOString() },
          createdAt: now,
        },
        manager,
      );
      return saved;
    });
    await this.notifier.changed(order, 'register', null, caller, now);
    return this.detail(caller, order.id);
  }

  async list(caller: AuthUser, query: ListWorkOrdersQueryDto): Promise<Page<WorkOrderView>> {
    const mayRead = this.access.mayReadCitizenContact(caller);
    // Unit staff see phones masked (138****1234); a phone filter would let them recover the hidden digits by
    // trying all 10,000 of them. Only those who see the full number may search by it (keyword search never
    // matches the phone column).
    if (query.citizenPhone && !mayRead) {
      throw new ForbiddenException(
        'Searching by citizen phone is for hotline center staff only: unit staff see phones masked. The lead unit can get the number of its own order with POST /api/work-orders/{id}/reveal-contact',
      );
    }
    const visibleUnitIds = await this.access.visibleUnitIds(caller);
    const assigneeId = this.assigneeFilter(caller, query);
    const createdFrom = query.createdFrom ? new Date(query.createdFrom) : undefined;
    const createdTo = query.createdTo ? new Date(query.createdTo) : undefined;
    if (createdFrom && createdTo && createdFrom >= createdTo) {
      throw new UnprocessableException('createdFrom must be before createdTo');
    }
    const [orders, total] = await this.workOrders.list({
      visibleUnitIds,
      status: query.status,
      leadUnitIds: query.leadUnitId ? await this.units.subtreeIds(query.leadUnitId) : undefined,
      categoryId: query.categoryId,
      requestType: query.requestType,
      channel: query.channel,
      warning: query.warning,
      createdFrom,
      createdTo,
      citizenPhone: query.citizenPhone ? normalizePhone(query.citizenPhone) : undefined,
      assigneeId,
      assistOverdue: query.assistOverdue ? { now: this.clock.now(), unitIds: visibleUnitIds } : undefined,
      keyword: query.keyword?.trim() || undefined,
      sortBy: query.sortBy ?? 'createdAt',
      sortOrder: query.sortOrder ?? 'DESC',
      page: query.page,
      pageSize: query.pageSize,
    });
    const assisting = await this.assistingUnitsByOrder(orders.map((o) => o.id));
    const categoryPaths = await this.categories.pathsOf(orders.map((o) => o.categoryId));
    const assignees = await this.workOrders.userNames(orders.map((o) => o.assigneeId));
    return {
      items: orders.map((o) =>
        toWorkOrderView(o, {
          mayReadCitizenContact: mayRead,
          categoryPath: categoryPaths.get(o.categoryId),
          assistingUnits: assisting.get(o.id) ?? [],
          assignee: assigneeRef(o.assigneeId, assignees),
        }),
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The order as the caller may see it, with its timeline and what the caller may do next. */
  async detail(caller: AuthUser, id: number): Promise<WorkOrderDetailView> {
    const order = await this.requireVisible(caller, id);
    const [timeline, attachments, categoryPaths, facts, children, linkedIds, mergedOrders] = await Promise.all([
      this.workOrders.timeline(id),
      this.attachments.ofWorkOrder(id),
      this.categories.pathsOf([order.categoryId]),
      this.factsOf(order),
      this.workOrders.childrenOf(id),
      this.workOrders.linkedIds(id),
      this.workOrders.mergedInto(id),
    ]);
    const returns = await this.workOrders.returnsOf(id);
    const parent = order.parentId ? await this.workOrders.findById(order.parentId) : null;
    const linked = await this.workOrders.findSummaries(linkedIds);
    await this.deadlines.refreshCalendar();
    const deadlines = deadlinesOf(order, await this.deadlines.forOrder(order), this.clock.now(), this.escalation);
    // Related orders and timeline payloads go through the same access rule as the detail itself: an order
    // the caller cannot open shows as its id only.
    const related = [...(parent ? [parent] : []), ...children, ...linked, ...mergedOrders].map((o) => o.id);
    const openable = await this.access.openableIds(caller, [...related, ...timeline.flatMap((e) => referencedOrderIds(e.payload))]);
    const summary = (o: WorkOrder) => toSummaryView(o, openable.has(o.id));
    return {
      ...toWorkOrderView(order, {
        mayReadCitizenContact: this.access.mayReadCitizenContact(caller),
        categoryPath: categoryPaths.get(order.categoryId),
        assistingUnits: assistingPartsOf(order.assistingUnits ?? [], this.clock.now()),
        assignee: assigneeRef(order.assigneeId, await this.workOrders.userNames([order.assigneeId])),
      }),
      timeline: timeline.map(({ workOrder: _w, ...event }) => ({ ...event, payload: redactPayload(event.payload, (other) => openable.has(other)) })),
      allowedActions: allowedActions(facts, caller),
      attachments,
      parent: parent ? summary(parent) : null,
      children: children.map(summary),
      linkedOrders: linked.map(summary),
      mergedOrders: mergedOrders.map(summary),
      deadlines,
      returns: returns.map(toReturnView),
    };
  }

  /** 404 both for orders that do not exist and for orders the caller may not see. */
  async requireVisible(caller: AuthUser, id: number): Promise<WorkOrder> {
    const order = await this.workOrders.findById(id);
    if (!order || !(await this.access.canSee(caller, order))) {
      throw new NotFoundException(`Work order ${id} does not exist`);
    }
    return order;
  }

  async factsOf(order: WorkOrder, manager?: EntityManager): Promise<OrderFacts> {
    const parent = order.parentId ? await this.workOrders.findById(order.parentId, manager) : null;
    const now = this.clock.now();
    return {
      status: order.status,
      leadUnitId: order.leadUnitId,
      assistingUnitIds: (order.assistingUnits ?? []).map((a) => a.unitId),
      parentLeadUnitId: parent?.leadUnitId ?? null,
      isChild: order.parentId !== null,
      hasPendingExtension: order.extensionRequestedDueAt !== null,
      hasOpenChildren: await this.workOrders.hasOpenChildren(order.id, manager),
      returnWindowOpen: order.returnDeadlineAt === null || now.getTime() <= order.returnDeadlineAt.getTime(),
      leaderSignOff: order.leadUnit?.leaderSignOff ?? false,
      callbackRequired: callbackRequired(order, this.config.callback),
      nextCallbackAttemptIsLast: nextAttemptIsLast(order, now, this.config.callback),
      statusBeforeSuspension: order.statusBeforeSuspension,
      statusBeforeMerge: order.statusBeforeMerge,
    };
  }

  /**
   * 分派 filter: `assignee=me` is the caller's inbox; `assigneeId` is for the unit's admin and the center (a handler
   * may name only themself). Either way the list stays scoped to what the caller sees.
   */
  private assigneeFilter(caller: AuthUser, query: ListWorkOrdersQueryDto): number | undefined {
    if (query.assignee === 'me' && query.assigneeId !== undefined && query.assigneeId !== caller.id) {
      throw new UnprocessableException('Send either assignee=me or assigneeId, not both');
    }
    if (query.assignee === 'me') return caller.id;
    if (query.assigneeId !== undefined && caller.role === 'handler' && query.assigneeId !== caller.id) {
      throw new ForbiddenException("A handler lists only the orders assigned to themself (assignee=me); other users' are for the unit's admin");
    }
    return query.assigneeId;
  }

  private async assistingUnitsByOrder(ids: number[]): Promise<Map<number, AssistingPartView[]>> {
    const rows = await this.workOrders.assistingUnitsOf(ids);
    const now = this.clock.now();
    const byOrder = new Map<number, WorkOrderAssistingUnit[]>();
    for (const row of rows) byOrder.set(row.workOrderId, [...(byOrder.get(row.workOrderId) ?? []), row]);
    return new Map([...byOrder].map(([id, parts]) => [id, assistingPartsOf(parts, now)]));
  }

  private async checkLocation(districtUnitId: number | undefined, streetUnitId: number | undefined): Promise<void> {
    if (districtUnitId !== undefined) {
      const district = await this.units.find(districtUnitId);
      if (!district || district.type !== 'district') throw new UnprocessableException(`Unit ${districtUnitId} is not a district`);
    }
    if (streetUnitId !== undefined) {
      const street = await this.units.find(streetUnitId);
      if (!street || street.type !== 'street') throw new UnprocessableException(`Unit ${streetUnitId} is not a street office`);
      if (districtUnitId !== undefined && street.parentId !== districtUnitId) {
        throw new UnprocessableException(`Street ${street.name} does not belong to district ${districtUnitId}`);
      }
    }
  }
}

function assigneeRef(id: number | null, names: Map<number, string>): UserRef | null {
  return id === null ? null : { id, displayName: names.get(id) ?? '' };
}

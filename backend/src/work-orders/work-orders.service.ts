import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttachmentsService, type AttachmentView } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { CategoriesService } from '../categories/categories.service';
import type { Category } from '../categories/category.entity';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { DeadlinePolicy, type OrderDeadlines } from '../deadlines/deadline-policy';
import { WorkOrderSearch } from '../search/work-order-search';
import { RepeatDetector, type CandidateLookup } from '../repeat-detection/repeat-detector';
import type { MatterInput } from '../repeat-detection/repeat-candidate';
import type { SimilarOrderView } from '../repeat-detection/similar-order.view';
import { UnitsService } from '../units/units.service';
import { normalizePhone, type RegisterWorkOrderDto } from './dto/register-work-order.dto';
import { type CallSurveyRecord, WorkOrder } from './entities/work-order.entity';
import { WorkOrderEvent } from './entities/work-order-event.entity';
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
  type UserRef,
  type WorkOrderDetailView,
  toReturnView } from './work-order.view';
import { WorkOrdersRepository, type NewWorkOrderRow } from './work-orders.repository';
import { timelineActor, type TimelineActor } from './timeline-actor';
import { ESCALATION_CONFIG, type EscalationConfig } from '../escalation/escalation.config';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { callbackRequired, nextAttemptIsLast } from './callback-rules';
import { RepeatScreeningQueue } from './repeat-screening-queue.service';
import { RepeatScreening, type MatterFeatures } from './repeat-screening.service';

/** 受理's answer: the order, and the earlier orders about the same matter the caller may open (重复件 / 多人反映), best first. */
export interface RegisteredWorkOrderView extends WorkOrderDetailView {
  similarOrders: SimilarOrderView[];
}

/** Registering, finding and reading work orders. The lifecycle actions live in WorkOrderActionsService. */
@Injectable()
export class WorkOrdersService {
  private readonly logger = new Logger(WorkOrdersService.name);

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
    private readonly search: WorkOrderSearch,
    private readonly repeats: RepeatDetector,
    private readonly screening: RepeatScreening,
    private readonly screeningQueue: RepeatScreeningQueue,
    @Inject(ESCALATION_CONFIG) private readonly escalation: EscalationConfig,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 受理: the hot path of the hotline (issue 8). Everything it checks comes from this process's caches (category tree,
   * unit tree, deadline rules, working calendar — each dropped when an administrator changes it); the transaction writes
   * the number, the order and its first timeline event (and binds attachments when there are any), and the answer is
   * built from what was written instead of being read back.
   */
  async register(caller: AuthUser, dto: RegisterWorkOrderDto): Promise<RegisteredWorkOrderView> {
    const category = await this.categories.requireActiveLeaf(dto.categoryId);
    const requestType = dto.requestType ?? category.defaultRequestType;
    if (!requestType) {
      throw new UnprocessableException(`Category ${category.id} (${category.name}) has no default request type: send requestType`);
    }
    await this.checkLocation(dto.districtUnitId, dto.streetUnitId);
    const urgency = dto.urgency ?? 'normal';
    await this.deadlines.refreshCalendar();
    const orderDeadlines = await this.deadlines.forOrder({ requestType, urgency, categoryId: category.id });
    const categoryPath = (await this.categories.pathsOf([category.id])).get(category.id);
    // 重复件 / 多人反映: the earlier orders about the same matter, looked up before the transaction (reads only).
    const matter: MatterInput = {
      title: dto.title.trim(),
      content: dto.content,
      address: dto.address.trim(),
      citizenPhone: dto.citizenPhone ? normalizePhone(dto.citizenPhone) : null,
      districtUnitId: dto.districtUnitId ?? null,
      streetUnitId: dto.streetUnitId ?? null,
      categoryId: category.id,
      requestType,
      createdAt: this.clock.now(),
    };
    // A detector that fails leaves the order unscreened, never unregistered.
    let matterFeatures: MatterFeatures | null = null;
    let lookup: CandidateLookup | null = null;
    const lookedUpAt = this.screeningQueue.position;
    try {
      if (this.config.repeatDetection.enabled) {
        matterFeatures = await this.repeats.featuresOf(matter);
        lookup = await this.repeats.lookUp(matter, { features: matterFeatures });
      }
    } catch (error) {
      this.logger.error(`The repeat detector failed before a registration (registered without candidates): ${error instanceof Error ? error.message : String(error)}`);
    }
    const draft: RegistrationDraft = {
      rowAt: (now, number) => {
        // The center's dispatch limit starts now; the scheduler looks at the order from now on (deadlineCheckAt).
        const { dispatchDueAt } = orderDeadlines.onRegister(now);
        const row = newOrderRow({
          number,
          requestType,
          urgency,
          channel: dto.channel,
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
        });
        return { row, payload: { channel: row.channel, requestType, categoryId: category.id, dispatchDueAt: dispatchDueAt.toISOString() } };
      },
      actor: timelineActor(caller),
      attachmentIds: dto.attachmentIds ?? [],
    };
    const searchRow = this.search.rowWrittenAtRegistration({ title: dto.title.trim(), address: dto.address.trim(), content: dto.content });
    const { order, event, attachments } =
      this.numbers.registersInOneStatement() && searchRow && draft.attachmentIds.length === 0
        ? await this.registerInOneStatement(draft, searchRow)
        : await this.registerInTransaction(caller, draft);
    await this.notifier.registered(order, caller, order.createdAt);
    // After the answer: recorded in the detector's index, marked a repeat, its hotspot updated (each step logged and
    // skipped when it fails); the console learns of a mark through workOrder.changed. Without the detector's
    // features (it failed before the transaction) the queue's sweep screens the order from its row.
    if (matterFeatures && lookup) this.screeningQueue.submit({ order, matter: { ...matter, createdAt: order.createdAt }, features: matterFeatures, lookup, lookedUpAt });
    const similarOrders = await this.screening.similarOrders(caller, lookup?.candidates ?? []);
    return Object.assign(this.registeredView(caller, order, { category, categoryPath, event, attachments, orderDeadlines }), { similarOrders });
  }

  /**
   * MariaDB without attachments: the whole registration — the number drawn, the order, its first event, the outbox and
   * queue rows, COMMIT, then the Mroonga row — is one CALL (migration RegistrationInOneStatement), run again on a deadlock.
   */
  private registerInOneStatement(draft: RegistrationDraft, search: { title: string; bodyAfterNumber: string }): Promise<RegistrationWritten> {
    return this.transactions.runSelfContained(async () => {
      const now = this.clock.now();
      const { row, payload } = draft.rowAt(now, ''); // the number is the procedure's
      const done = await this.numbers.registerInOneStatement({
        order: row,
        at: now,
        actor: draft.actor,
        payload,
        screeningQueuedAt: this.config.repeatDetection.enabled ? now : null,
        search,
      });
      if (!done.indexed) {
        this.logger.warn(`Work order ${done.number} was registered but not indexed for search (the catch-up sweep indexes it): ${done.indexError ?? 'no reason given'}`);
      }
      const order = Object.assign(new WorkOrder(), row, { id: done.id, number: done.number, createdAt: done.at, updatedAt: done.at, deadlineCheckAt: done.at });
      const event = Object.assign(new WorkOrderEvent(), registerEvent(done.id, draft.actor, payload, done.at), { id: done.eventId });
      return { order, event, attachments: [] };
    });
  }

  /** A registration in a transaction of the application's: on SQLite, and on a server with attachments (bound in it). */
  private registerInTransaction(caller: AuthUser, draft: RegistrationDraft): Promise<RegistrationWritten> {
    return this.transactions.run(async (manager) => {
      // On a server the number is drawn last (WorkOrderNumbers.drawsLast): its sequence row stays locked from the draw
      // to COMMIT, and registrations queue there. SQLite draws it first, and takes the time after the draw.
      const drawsLast = this.numbers.drawsLast(manager);
      const number = drawsLast ? this.numbers.provisional() : await this.numbers.next(this.clock.now(), manager);
      const now = this.clock.now();
      const { row, payload } = draft.rowAt(now, number);
      const saved = Object.assign(new WorkOrder(), row, { id: await this.workOrders.insertComplete(row, manager) });
      const bound = await this.attachments.bindAndView(caller, draft.attachmentIds, saved.id, 'register', manager);
      const event = registerEvent(saved.id, draft.actor, payload, now);
      if (!drawsLast) {
        await this.search.index(saved, manager);
        // Screened for repeats after the answer (RepeatScreeningQueue), from this durable row.
        if (this.config.repeatDetection.enabled) await this.screeningQueue.enqueue(saved.id, manager);
        return { order: saved, event: await this.workOrders.appendEvent(event, manager), attachments: bound };
      }
      // One CALL writes the first event, the search outbox row (an index written after COMMIT) and the screening queue
      // row, draws the number and, when nothing is left to write, commits (the sequence row is released on the server,
      // at once). The time may be raised to the previous number's (a concurrent registration that read the clock later
      // drew first), so that numbers and times still sort alike; the dispatch limit keeps counting from `now`.
      const indexAfterCommit = this.search.indexesAfterCommit;
      const completed = await this.numbers.completeRegistration(
        {
          orderId: saved.id,
          at: now,
          actor: draft.actor,
          payload,
          searchOutbox: indexAfterCommit,
          screeningQueuedAt: this.config.repeatDetection.enabled ? now : null,
          commit: indexAfterCommit,
        },
        manager,
      );
      Object.assign(saved, { number: completed.number, createdAt: completed.at, updatedAt: completed.at, deadlineCheckAt: completed.at });
      const registered = Object.assign(new WorkOrderEvent(), event, { id: completed.eventId, createdAt: completed.at });
      // Mroonga: the row is written right after COMMIT from this object (its outbox row is in the CALL); an index
      // inside the transaction (MySQL's ngram FULLTEXT) writes it now, with the number.
      await this.search.index(saved, manager, { outboxWritten: indexAfterCommit });
      return { order: saved, event: registered, attachments: bound };
    });
  }

  /**
   * The detail of an order registration has just written, without reading it back: what `detail()` would answer
   * right after (registration-statements.int-spec.ts compares the two field by field). A new order has one timeline
   * event and no assisting units, assignee, parent, children, links, merged orders or returns.
   */
  private registeredView(
    caller: AuthUser,
    order: WorkOrder,
    written: { category: Category; categoryPath: string | undefined; event: WorkOrderEvent; attachments: AttachmentView[]; orderDeadlines: OrderDeadlines },
  ): WorkOrderDetailView {
    const now = this.clock.now();
    const { workOrder: _w, ...event } = written.event;
    const view = toWorkOrderView(Object.assign(new WorkOrder(), order, { category: written.category, leadUnit: null }), {
      mayReadCitizenContact: this.access.mayReadCitizenContact(caller),
      categoryPath: written.categoryPath,
      assistingUnits: [],
      assignee: null,
    });
    return Object.assign(view, {
      timeline: [event],
      allowedActions: allowedActions(this.factsFrom(order, { parentLeadUnitId: null, hasOpenChildren: false, leaderSignOff: false }, now), caller),
      attachments: written.attachments,
      parent: null,
      children: [],
      linkedOrders: [],
      mergedOrders: [],
      repeatOf: null,
      repeats: [],
      deadlines: deadlinesOf(order, written.orderDeadlines, now, this.escalation),
      returns: [],
    });
  }

  /** The order as the caller may see it, with its timeline and what the caller may do next. */
  async detail(caller: AuthUser, id: number): Promise<WorkOrderDetailView> {
    const order = await this.requireVisible(caller, id);
    const [timeline, attachments, categoryPaths, facts, children, linkedIds, mergedOrders, repeats] = await Promise.all([
      this.workOrders.timeline(id),
      this.attachments.ofWorkOrder(id),
      this.categories.pathsOf([order.categoryId]),
      this.factsOf(order),
      this.workOrders.childrenOf(id),
      this.workOrders.linkedIds(id),
      this.workOrders.mergedInto(id),
      this.screening.repeatsOf(id),
    ]);
    const returns = await this.workOrders.returnsOf(id);
    const parent = order.parentId ? await this.workOrders.findById(order.parentId) : null;
    const linked = await this.workOrders.findSummaries(linkedIds);
    const [repeatOf] = order.repeatOfId ? await this.workOrders.findSummaries([order.repeatOfId]) : [];
    await this.deadlines.refreshCalendar();
    const deadlines = deadlinesOf(order, await this.deadlines.forOrder(order), this.clock.now(), this.escalation);
    // Related orders and timeline payloads go through the same access rule as the detail itself: an order
    // the caller cannot open shows as its id only.
    const related = [...(parent ? [parent] : []), ...children, ...linked, ...mergedOrders, ...(repeatOf ? [repeatOf] : []), ...repeats].map((o) => o.id);
    const openable = await this.access.openableIds(caller, [...related, ...timeline.flatMap((e) => referencedOrderIds(e.payload))]);
    const summary = (o: WorkOrder) => toSummaryView(o, openable.has(o.id));
    const view = toWorkOrderView(order, {
      mayReadCitizenContact: this.access.mayReadCitizenContact(caller),
      categoryPath: categoryPaths.get(order.categoryId),
      assistingUnits: assistingPartsOf(order.assistingUnits ?? [], this.clock.now()),
      assignee: assigneeRef(order.assigneeId, await this.workOrders.userNames([order.assigneeId])),
    });
    // Added to the view rather than spread with it into a new object (≈ 75 properties copied one by one).
    return Object.assign(view, {
      timeline: timeline.map(({ workOrder: _w, ...event }) => ({ ...event, payload: redactPayload(event.payload, (other) => openable.has(other)) })),
      allowedActions: allowedActions(facts, caller),
      attachments,
      parent: parent ? summary(parent) : null,
      children: children.map(summary),
      linkedOrders: linked.map(summary),
      mergedOrders: mergedOrders.map(summary),
      repeatOf: repeatOf ? summary(repeatOf) : null,
      repeats: repeats.map(summary),
      deadlines,
      returns: returns.map(toReturnView),
    });
  }

  /**
   * 来电满意度 (cti/): records the IVR survey of a call linked to the order — an entry `call-survey` on its timeline (actor
   * system, why "IVR survey after call <callId>") and `callSurvey`, which keeps the latest rated call's. The version moves
   * on, the row locked meanwhile, so a concurrent action is not lost (it gets its 409 and reads again). Once per call and
   * order: false when this call's survey was recorded on the order before. 404 for an order that does not exist.
   * The callback's `satisfaction` (回访, the handling's rating) is never touched.
   */
  async recordCallSurvey(workOrderId: number, survey: CallSurveyRecord & { callRecordId: number }): Promise<boolean> {
    const now = this.clock.now();
    const record: CallSurveyRecord = { rating: survey.rating, digit: survey.digit, callId: survey.callId, ratedAt: survey.ratedAt };
    const recorded = await this.transactions.run(async (manager) => {
      const [order] = await this.workOrders.lockInIdOrder([workOrderId], manager);
      if (!order) throw new NotFoundException(`Work order ${workOrderId} does not exist`);
      if ((await this.workOrders.callSurveyCallIds(order.id, manager)).includes(survey.callId)) return null;
      // An older call's survey arriving late (a replay) goes on the timeline but does not replace a newer one.
      const newest = order.callSurvey === null || order.callSurvey.ratedAt <= record.ratedAt;
      if (!(await this.workOrders.updateIfVersion(order.id, order.version, { updatedAt: now, ...(newest ? { callSurvey: record } : {}) }, manager))) {
        throw new Error(`Work order ${order.number} changed although it was locked`);
      }
      await this.workOrders.appendEvent(
        {
          workOrderId: order.id,
          action: 'call-survey',
          fromStatus: order.status,
          toStatus: order.status,
          actorId: null,
          actorName: 'system',
          actorRole: null,
          unitId: null,
          unitName: null,
          reason: `IVR survey after call ${survey.callId}`,
          payload: { callId: survey.callId, callRecordId: survey.callRecordId, digit: survey.digit, rating: survey.rating, ratedAt: survey.ratedAt },
          createdAt: now,
        },
        manager,
      );
      return order;
    });
    if (recorded) await this.notifier.changed(recorded, 'call-survey', recorded.status, null, now);
    return recorded !== null;
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
    const hasOpenChildren = await this.workOrders.hasOpenChildren(order.id, manager);
    return this.factsFrom(order, { parentLeadUnitId: parent?.leadUnitId ?? null, hasOpenChildren, leaderSignOff: order.leadUnit?.leaderSignOff ?? false }, this.clock.now());
  }

  /** The facts the state machine decides on, from the order and what is known about its relatives. */
  private factsFrom(
    order: WorkOrder,
    relatives: { parentLeadUnitId: number | null; hasOpenChildren: boolean; leaderSignOff: boolean },
    now: Date,
  ): OrderFacts {
    return {
      status: order.status,
      leadUnitId: order.leadUnitId,
      assistingUnitIds: (order.assistingUnits ?? []).map((a) => a.unitId),
      parentLeadUnitId: relatives.parentLeadUnitId,
      isChild: order.parentId !== null,
      hasPendingExtension: order.extensionRequestedDueAt !== null,
      hasOpenChildren: relatives.hasOpenChildren,
      returnWindowOpen: order.returnDeadlineAt === null || now.getTime() <= order.returnDeadlineAt.getTime(),
      leaderSignOff: relatives.leaderSignOff,
      callbackRequired: callbackRequired(order, this.config.callback),
      nextCallbackAttemptIsLast: nextAttemptIsLast(order, now, this.config.callback),
      statusBeforeSuspension: order.statusBeforeSuspension,
      statusBeforeMerge: order.statusBeforeMerge,
      isRepeat: order.repeatOfId !== null,
      disputed: order.disputed,
      ruledUnitId: order.ruledUnitId,
      ruledAt: order.ruledAt,
    };
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

export function assigneeRef(id: number | null, names: Map<number, string>): UserRef | null {
  return id === null ? null : { id, displayName: names.get(id) ?? '' };
}

/** A registration's order as the request gives it, before the number and time are known. */
interface RegistrationDraft {
  /** The order's complete row at a time and number, and the payload of its `register` event. */
  rowAt(now: Date, number: string): { row: NewWorkOrderRow; payload: Record<string, unknown> };
  actor: TimelineActor;
  attachmentIds: string[];
}

/** What a registration wrote: the order, its first timeline event, its attachments. */
interface RegistrationWritten {
  order: WorkOrder;
  event: WorkOrderEvent;
  attachments: AttachmentView[];
}

/** The `register` event of a new order. */
function registerEvent(workOrderId: number, actor: TimelineActor, payload: Record<string, unknown>, createdAt: Date) {
  return { workOrderId, action: 'register' as const, fromStatus: null, toStatus: 'registered' as const, ...actor, reason: null, payload, createdAt };
}

type RegisteredFields = Pick<
  NewWorkOrderRow,
  | 'number'
  | 'requestType'
  | 'urgency'
  | 'channel'
  | 'dispatchDueAt'
  | 'deadlineCheckAt'
  | 'citizenName'
  | 'citizenPhone'
  | 'citizenConfidential'
  | 'address'
  | 'districtUnitId'
  | 'streetUnitId'
  | 'latitude'
  | 'longitude'
  | 'categoryId'
  | 'title'
  | 'content'
  | 'registeredById'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * A new order's complete row: what registration gives, and every other column as the entity's defaults would leave it
 * (the row is written in full and the response is built from it, so nothing here may differ from what a read returns).
 */
function newOrderRow(fields: RegisteredFields): NewWorkOrderRow {
  // Every property written out, none spread: V8 then makes the row one object of a fixed shape at once, instead of
  // adding some seventy properties one by one to a copy (a dictionary-mode object every later read of the row is slow
  // on: ≈ 0.1 ms of CPU per registration were spent here alone).
  return {
    number: fields.number,
    requestType: fields.requestType,
    urgency: fields.urgency,
    channel: fields.channel,
    dispatchDueAt: fields.dispatchDueAt,
    deadlineCheckAt: fields.deadlineCheckAt,
    citizenName: fields.citizenName,
    citizenPhone: fields.citizenPhone,
    citizenConfidential: fields.citizenConfidential,
    address: fields.address,
    districtUnitId: fields.districtUnitId,
    streetUnitId: fields.streetUnitId,
    latitude: fields.latitude,
    longitude: fields.longitude,
    categoryId: fields.categoryId,
    title: fields.title,
    content: fields.content,
    registeredById: fields.registeredById,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    parentId: null,
    mergedIntoId: null,
    status: 'registered',
    statusBeforeMerge: null,
    statusBeforeSuspension: null,
    suspendedAt: null,
    leadUnitId: null,
    assigneeId: null,
    invalidReason: null,
    dispatchedAt: null,
    acceptDueAt: null,
    contactDueAt: null,
    replyDueAt: null,
    returnDeadlineAt: null,
    replyClockStartedAt: null,
    extensionApprovedMinutes: 0,
    acceptLateMinutes: null,
    contactLateMinutes: null,
    replyLateMinutes: null,
    warningLevel: 'none',
    escalationStage: 0,
    acceptedAt: null,
    firstContactAt: null,
    repliedAt: null,
    reply: null,
    calledBackAt: null,
    resolved: null,
    satisfaction: null,
    callSurvey: null,
    callbackOutcome: null,
    callbackAttemptCount: 0,
    lastCallbackAttemptAt: null,
    closedAt: null,
    returnCount: 0,
    reopenCount: 0,
    reminderCount: 0,
    supervised: false,
    repeatOfId: null,
    repeatCount: 0,
    extensionRequestedDueAt: null,
    extensionReason: null,
    version: 1,
    disputed: false,
    ruledUnitId: null,
    ruledAt: null,
  };
}

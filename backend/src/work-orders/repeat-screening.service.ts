import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { NotificationsService } from '../notifications/notifications.service';
import { HotspotsService, type HotspotJoin } from '../repeat-detection/hotspots.service';
import type { MatterInput, RecordedMatter, RepeatCandidate } from '../repeat-detection/repeat-candidate';
import { RepeatDetector } from '../repeat-detection/repeat-detector';
import type { SimilarOrderView } from '../repeat-detection/similar-order.view';
import type { WorkOrder } from './entities/work-order.entity';
import type { TimelineActor } from './timeline-actor';
import { WorkOrderAccess } from './work-order-access.service';
import { WorkOrderNotifier } from './work-order-notifier';
import { OPEN_STATUSES } from './work-order.enums';
import { WorkOrdersRepository } from './work-orders.repository';
import { RepeatOrdersRepository } from './repeat-screening.repository';

/** An order the detector recorded (RepeatScreening.record), waiting for its matter's hotspot to be kept up to date. */
export interface ScreenedOrder {
  order: WorkOrder;
  recorded: RecordedMatter;
}

/** What the detector compares of an order (its features), computed once at registration. */
export type MatterFeatures = Awaited<ReturnType<RepeatDetector['featuresOf']>>;

/** The detector marks repeats as the system, like the deadline scheduler. */
const SYSTEM: TimelineActor = { actorId: null, actorName: 'system', actorRole: null, unitId: null, unitName: null };

/**
 * 重复件 / 多人反映 at registration, after the order committed: records it in the detector's index, marks it a repeat
 * of the matter's original when the detector says the same caller reported the same matter (version-checked, with
 * timeline entries on both orders, a notification to the original's unit while it is still being handled, and
 * `workOrder.changed` for both), and keeps the matter's hotspot up to date. Every step that fails is logged and
 * skipped: the order is registered whatever happens here.
 */
@Injectable()
export class RepeatScreening {
  private readonly logger = new Logger(RepeatScreening.name);

  constructor(
    private readonly detector: RepeatDetector,
    private readonly hotspots: HotspotsService,
    private readonly workOrders: WorkOrdersRepository,
    private readonly repeats: RepeatOrdersRepository,
    private readonly access: WorkOrderAccess,
    private readonly notifications: NotificationsService,
    private readonly notifier: WorkOrderNotifier,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  /** The candidates as the caller is shown them, best first: only orders the caller may open (the others are left out). */
  async similarOrders(caller: AuthUser, candidates: readonly RepeatCandidate[]): Promise<SimilarOrderView[]> {
    if (candidates.length === 0) return [];
    const ids = candidates.map((c) => c.workOrderId);
    const [byId, openable] = await Promise.all([this.workOrders.similarOrderFacts(ids), this.access.openableIds(caller, ids)]);
    return candidates.flatMap((candidate) => {
      const order = byId.get(candidate.workOrderId);
      if (!order || !openable.has(order.id)) return [];
      return [
        {
          id: order.id,
          number: order.number,
          title: order.title,
          address: order.address,
          status: order.status,
          createdAt: order.createdAt,
          kind: candidate.kind,
          score: candidate.score,
          reasons: candidate.reasons,
          reasonText: candidate.reasonText,
        },
      ];
    });
  }

  /**
   * The first step of an order's screening: records it in the detector's index and, when the detector says the same
   * caller reported the same matter, marks it a repeat. Answers what the hotspots need of it (trackHotspots, once for
   * a batch of orders), or null when the detector could not record it (logged).
   */
  async record(order: WorkOrder, matter: MatterInput, candidates: readonly RepeatCandidate[], features: MatterFeatures | null): Promise<ScreenedOrder | null> {
    let recorded: RecordedMatter;
    try {
      recorded = await this.detector.record(order.id, matter, candidates, features ? { features } : {});
    } catch (error) {
      this.logger.error(`Work order ${order.number} was registered but not recorded by the repeat detector: ${describe(error)}`);
      return null;
    }
    if (recorded.repeatOfId !== null) {
      try {
        const candidate = candidates.find((c) => c.workOrderId === recorded.repeatOfId) ?? candidates.find((c) => c.kind === 'repeat') ?? null;
        await this.markDetected(order.id, recorded.repeatOfId, candidate);
      } catch (error) {
        this.logger.error(`Work order ${order.number} repeats work order ${recorded.repeatOfId} but could not be marked: ${describe(error)}`);
      }
    }
    return { order, recorded };
  }

  /**
   * The second step, for the orders recorded by a batch of screenings (or one): the hotspots of their matters kept up to
   * date in one transaction (HotspotsService.track), `hotspot-joined` on the timeline of each order that joined one
   * (one INSERT for all), and `workOrder.changed` for them after commit. When the batch's transaction fails, each order
   * is tried alone, so that one order's trouble costs no other its hotspot.
   */
  async trackHotspots(screened: readonly ScreenedOrder[]): Promise<void> {
    const now = this.clock.now();
    let joins: HotspotJoin[];
    try {
      // Which orders join a hotspot is HotspotsService.track's rule (nothing to do when none reached one).
      joins = await this.hotspots.track(
        screened.map(({ order, recorded }) => ({ workOrderId: order.id, recorded })),
        (joined, manager) => this.appendJoined(joined, now, manager),
      );
    } catch (error) {
      if (screened.length > 1) {
        this.logger.warn(`The hotspots of ${screened.length} screened work orders could not be updated together; trying each alone: ${describe(error)}`);
        for (const one of screened) await this.trackHotspots([one]);
      } else {
        const [{ order, recorded }] = screened;
        this.logger.error(`The hotspot of work order ${order.number} (matter ${recorded.matterId}) could not be updated: ${describe(error)}`);
      }
      return;
    }
    const byId = new Map(screened.map(({ order }) => [order.id, order]));
    await this.notifier.changedMany(
      joins.map((join) => ({ order: byId.get(join.order.id) as WorkOrder, fromStatus: join.order.status })),
      'hotspot-joined',
      now,
    );
  }

  /**
   * `hotspot-joined` on each order's timeline: its matter is a hotspot. Written in the hotspots' transaction, the orders'
   * rows locked (HotspotsService.track), in one INSERT. A note of the system's that changes none of the order's fields,
   * so its version stays (as with shirking flags): the order is screened after the registration answered, and whoever
   * acts on it meanwhile — the agent dispatching at once, an integration — must not get a 409.
   */
  private async appendJoined(joins: readonly HotspotJoin[], now: Date, manager: EntityManager): Promise<void> {
    await this.workOrders.appendEvents(
      joins.map(({ order, change }) => ({
        workOrderId: order.id,
        action: 'hotspot-joined' as const,
        fromStatus: order.status,
        toStatus: order.status,
        ...SYSTEM,
        reason: null,
        payload: { hotspotId: change.hotspotId, change: change.change, memberCount: change.memberCount, callerCount: change.callerCount },
        createdAt: now,
      })),
      manager,
    );
  }

  /** The orders marked as repeats of this one, oldest first. */
  repeatsOf(originalId: number): Promise<WorkOrder[]> {
    return this.repeats.repeatsOf(originalId);
  }

  /**
   * Marks the new order a repeat of the matter's original (the original's own original when it is itself a repeat):
   * both rows locked lowest id first, both versions moved on, repeatCount + 1. Answers the original's id, or null when
   * the order was marked meanwhile (by hand) or the original is gone.
   */
  private async markDetected(orderId: number, repeatOfId: number, candidate: RepeatCandidate | null): Promise<number | null> {
    const peek = await this.workOrders.findById(repeatOfId);
    if (!peek) return null;
    const rootId = peek.repeatOfId ?? peek.id;
    const now = this.clock.now();
    const marked = await this.transactions.run(async (manager) => {
      const locked = new Map((await this.workOrders.lockInIdOrder([orderId, repeatOfId, rootId], manager)).map((o) => [o.id, o]));
      const order = locked.get(orderId);
      const original = locked.get(repeatOfId);
      if (!order || !original || order.repeatOfId !== null) return null;
      // The original's own mark changed between the peek and the lock: leave the order unmarked rather than guess.
      const root = original.repeatOfId === null ? original : (locked.get(original.repeatOfId) ?? null);
      if (!root || root.id === order.id) return null;
      const details = { score: candidate?.score ?? null, reasonText: candidate?.reasonText ?? null };
      if (!(await this.workOrders.updateIfVersion(order.id, order.version, { repeatOfId: root.id, updatedAt: now }, manager))) throw changed(order);
      if (!(await this.workOrders.updateIfVersion(root.id, root.version, { repeatCount: root.repeatCount + 1, updatedAt: now }, manager))) throw changed(root);
      await this.workOrders.appendEvent(
        {
          workOrderId: order.id,
          action: 'repeat-detected',
          fromStatus: order.status,
          toStatus: order.status,
          ...SYSTEM,
          reason: null,
          payload: { repeatOfId: root.id, repeatOfNumber: root.number, ...details },
          createdAt: now,
        },
        manager,
      );
      await this.workOrders.appendEvent(
        {
          workOrderId: root.id,
          action: 'repeat-received',
          fromStatus: root.status,
          toStatus: root.status,
          ...SYSTEM,
          reason: null,
          payload: { repeatWorkOrderId: order.id, repeatNumber: order.number, ...details },
          createdAt: now,
        },
        manager,
      );
      // A repeat of a matter still being handled is flagged to the unit handling it.
      if (OPEN_STATUSES.includes(root.status) && root.leadUnitId !== null) {
        await this.notifications.notifyUnits(
          [root.leadUnitId],
          null,
          {
            kind: 'repeat',
            title: `重复件：工单 ${root.number} 的诉求人再次反映同一问题（工单 ${order.number}）`,
            body: details.reasonText,
            workOrderId: root.id,
            payload: { repeatWorkOrderId: order.id, repeatNumber: order.number, score: details.score },
          },
          manager,
        );
      }
      return { order, root };
    });
    if (!marked) return null;
    await this.notifier.changed(marked.order, 'repeat-detected', marked.order.status, null, now);
    await this.notifier.changed(marked.root, 'repeat-received', marked.root.status, null, now);
    return marked.root.id;
  }
}

/** What the detector compares of a stored order. */
export function matterOf(order: WorkOrder): MatterInput {
  return {
    workOrderId: order.id,
    title: order.title,
    content: order.content,
    address: order.address,
    citizenPhone: order.citizenPhone,
    districtUnitId: order.districtUnitId,
    streetUnitId: order.streetUnitId,
    categoryId: order.categoryId,
    requestType: order.requestType,
    createdAt: order.createdAt,
  };
}

function changed(order: WorkOrder): Error {
  return new Error(`Work order ${order.number} changed although it was locked`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

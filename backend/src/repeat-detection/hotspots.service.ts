import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CategoriesService } from '../categories/categories.service';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus, type HotspotChangedEvent } from '../events/app-events';
import { UnitsService } from '../units/units.service';
import { isUnitRole } from '../users/role';
import { maskPhone } from '../work-orders/work-order.view';
import type { Hotspot } from './entities/hotspot.entity';
import type { EntityManager } from 'typeorm';
import type { HotspotMemberView, HotspotView } from './hotspot.view';
import { HotspotsRepository, type HotspotFilters, type HotspotOrder } from './hotspots.repository';
import type { ListHotspotsQueryDto } from './dto/list-hotspots.dto';
import { HOTSPOT_MIN_CALLERS, type RecordedMatter } from './repeat-candidate';
import { RepeatDetector } from './repeat-detector';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Members shown per hotspot in a list (the detail shows them all, up to HOTSPOT_DETAIL_MEMBERS). */
export const HOTSPOT_LIST_MEMBERS = 20;
const HOTSPOT_DETAIL_MEMBERS = 500;

/** Thrown inside the hotspot transaction to roll it back when, counted under the lock, the matter is not a hotspot after all. */
class NotAHotspot extends Error {}

export interface HotspotPage {
  items: HotspotView[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * 热点 (多人反映): keeps the hotspots table up to date as orders are recorded (a matter with HOTSPOT_MIN_ORDERS orders
 * from at least two callers within HOTSPOT_WINDOW_DAYS is one), tells supervisors when one forms or grows
 * (`hotspot.changed`), and lists them scoped like the work-order lists.
 */
@Injectable()
export class HotspotsService {
  constructor(
    private readonly hotspots: HotspotsRepository,
    private readonly detector: RepeatDetector,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly transactions: TransactionService,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * After an order was recorded in its matter: when the matter is (now) a hotspot, writes its row — counted again
   * under the row's lock, so that concurrent registrations of one matter leave the counts of the last one — and
   * announces the change after commit. Answers the change, or null when the matter is no hotspot. `joined` runs in the
   * same transaction once the change is known, with the new order as read under its lock (the caller writes
   * `hotspot-joined` on its timeline there: one transaction for both). The new order's row is locked before the
   * hotspot's, always in that order.
   */
  async track(
    workOrderId: number,
    recorded: RecordedMatter,
    joined?: (newest: HotspotOrder, change: HotspotChangedEvent, manager: EntityManager) => Promise<void>,
  ): Promise<HotspotChangedEvent | null> {
    const { hotspotMinOrders, hotspotWindowDays } = this.config.repeatDetection;
    if (!recorded.matter.reachesHotspot) return null;
    const now = this.clock.now();
    let change: HotspotChangedEvent;
    try {
      change = await this.transactions.run(async (manager) => {
        const newest = await this.hotspots.lockOrder(workOrderId, manager);
        if (!newest) throw new NotAHotspot();
        const row = await this.hotspots.ensureLocked(
          {
            matterId: recorded.matterId,
            title: newest.title,
            address: newest.address,
            districtUnitId: newest.districtUnitId,
            streetUnitId: newest.streetUnitId,
            categoryId: newest.categoryId,
            memberCount: 0,
            callerCount: 0,
            firstAt: recorded.matter.lastAt,
            lastAt: recorded.matter.lastAt,
            formedAt: now,
            updatedAt: now,
          },
          manager,
        );
        // Read after the lock: every order of the matter recorded before it is counted (in the database: a busy
        // matter has thousands of orders; a hotspot that only grew since its row was written adds its new orders to the
        // row's counts). The window ends with the matter's latest order.
        const known = row.memberCount > 0 ? { memberCount: row.memberCount, callerCount: row.callerCount, firstAt: row.firstAt, lastAt: row.lastAt } : undefined;
        const counted = await this.detector.matterSince(recorded.matterId, new Date(recorded.matter.lastAt.getTime() - hotspotWindowDays * DAY_MS), manager, known);
        if (!counted) throw new NotAHotspot();
        const { memberCount, callerCount } = counted;
        const lastAt = counted.latest.createdAt;
        if (memberCount < hotspotMinOrders || callerCount < HOTSPOT_MIN_CALLERS) throw new NotAHotspot();
        const formed = row.memberCount === 0;
        const latestId = counted.latest.workOrderId;
        // The matter's latest order is nearly always the new one (already read); another when a later one was recorded first.
        const latest = latestId === newest.id ? newest : ((await this.hotspots.ordersOf([latestId], manager)).get(latestId) ?? newest);
        const firstAt = counted.firstAt;
        const changes = {
          title: latest.title,
          address: latest.address,
          districtUnitId: latest.districtUnitId,
          streetUnitId: latest.streetUnitId,
          categoryId: latest.categoryId,
          memberCount,
          callerCount,
          firstAt,
          lastAt,
          updatedAt: now,
          ...(formed ? { formedAt: now } : {}),
        };
        await this.hotspots.update(row.id, changes, manager);
        const tracked = {
          hotspotId: row.id,
          matterId: recorded.matterId,
          change: formed ? 'formed' : 'grown',
          workOrderId,
          title: changes.title,
          address: changes.address,
          districtUnitId: changes.districtUnitId,
          streetUnitId: changes.streetUnitId,
          categoryId: changes.categoryId,
          memberCount,
          callerCount,
          firstAt: firstAt.toISOString(),
          lastAt: lastAt.toISOString(),
        } satisfies HotspotChangedEvent;
        if (joined) await joined(newest, tracked, manager);
        return tracked;
      });
    } catch (error) {
      if (error instanceof NotAHotspot) return null;
      throw error;
    }
    this.events.emit('hotspot.changed', change);
    return change;
  }

  async list(caller: AuthUser, query: ListHotspotsQueryDto): Promise<HotspotPage> {
    const now = this.clock.now();
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new UnprocessableException('from must be before to');
    const filters: HotspotFilters = {
      visibleUnitIds: await this.visibleUnitIds(caller),
      lastAtFrom: query.state === 'active' ? this.activeSince(now) : undefined,
      districtUnitId: query.districtUnitId,
      streetUnitId: query.streetUnitId,
      categoryIds: query.categoryId ? await this.categories.subtreeIds(query.categoryId) : undefined,
      from,
      to,
    };
    const { items, total } = await this.hotspots.page(filters, now, (query.page - 1) * query.pageSize, query.pageSize);
    const views = await this.views(
      caller,
      items.map((item) => item.hotspot),
      HOTSPOT_LIST_MEMBERS,
      now,
      new Map(items.map((item) => [item.hotspot.id, item])),
    );
    return { items: views, total, page: query.page, pageSize: query.pageSize };
  }

  /** One hotspot with all its orders; 404 when it does not exist or none of its orders is the caller's to see. */
  async detail(caller: AuthUser, id: number): Promise<HotspotView> {
    const hotspot = await this.hotspots.findById(id);
    const unitIds = await this.visibleUnitIds(caller);
    if (!hotspot || (unitIds !== null && !(await this.hotspots.isVisibleTo(hotspot, unitIds)))) {
      throw new NotFoundException(`Hotspot ${id} does not exist`);
    }
    const now = this.clock.now();
    const growth = await this.hotspots.growthOf(hotspot.matterId, now);
    const [view] = await this.views(caller, [hotspot], HOTSPOT_DETAIL_MEMBERS, now, new Map([[hotspot.id, growth]]));
    return view;
  }

  /**
   * The units whose orders the caller sees, null for all: WorkOrderAccess's rule (center staff see everything, unit
   * staff their unit and the units below it), which this module cannot inject (the work-order module depends on it).
   */
  private async visibleUnitIds(caller: AuthUser): Promise<number[] | null> {
    return isUnitRole(caller.role) ? this.units.subtreeIds(caller.unitId) : null;
  }

  private activeSince(now: Date): Date {
    return new Date(now.getTime() - this.config.repeatDetection.hotspotWindowDays * DAY_MS);
  }

  private async views(
    caller: AuthUser,
    hotspots: Hotspot[],
    perHotspot: number,
    now: Date,
    growth: Map<number, { recentCount: number; previousCount: number }>,
  ): Promise<HotspotView[]> {
    const members = await this.hotspots.membersOf(hotspots, perHotspot);
    const ids = [...members.values()].flatMap((m) => m.ids);
    const unitIds = await this.visibleUnitIds(caller);
    const [orders, openable, paths] = await Promise.all([
      this.hotspots.ordersOf(ids),
      unitIds === null ? new Set(ids) : this.hotspots.idsVisibleTo(ids, unitIds),
      this.categories.pathsOf(hotspots.map((h) => h.categoryId)),
    ]);
    const mayReadContact = !isUnitRole(caller.role);
    const activeSince = this.activeSince(now);
    return hotspots.map((hotspot) => {
      const own = members.get(hotspot.matterId) ?? { ids: [], total: 0 };
      const { recentCount, previousCount } = growth.get(hotspot.id) ?? { recentCount: 0, previousCount: 0 };
      return {
        id: hotspot.id,
        matterId: hotspot.matterId,
        title: hotspot.title,
        address: hotspot.address,
        districtUnitId: hotspot.districtUnitId,
        streetUnitId: hotspot.streetUnitId,
        categoryId: hotspot.categoryId,
        categoryPath: paths.get(hotspot.categoryId) ?? '',
        memberCount: hotspot.memberCount,
        callerCount: hotspot.callerCount,
        firstAt: hotspot.firstAt,
        lastAt: hotspot.lastAt,
        formedAt: hotspot.formedAt,
        updatedAt: hotspot.updatedAt,
        active: hotspot.lastAt.getTime() >= activeSince.getTime(),
        recentCount,
        previousCount,
        growth: recentCount - previousCount,
        members: own.ids.map((id) => memberView(id, orders.get(id), openable.has(id), mayReadContact)),
        memberTotal: own.total,
      };
    });
  }

}

/** An order of a hotspot, with the caller shown as lists show it. */
function memberView(id: number, order: HotspotOrder | undefined, accessible: boolean, mayReadContact: boolean): HotspotMemberView {
  if (!order || !accessible) return { id, accessible: false };
  let citizenName = order.citizenName;
  let citizenPhone = order.citizenPhone;
  if (!mayReadContact) {
    if (order.citizenConfidential) {
      citizenName = null;
      citizenPhone = null;
    } else if (citizenPhone) {
      citizenPhone = maskPhone(citizenPhone);
    }
  }
  return { id, accessible: true, number: order.number, title: order.title, status: order.status, createdAt: order.createdAt, citizenName, citizenPhone };
}

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

/** An order the detector recorded in its matter, for HotspotsService.track. */
export interface RecordedOrder {
  workOrderId: number;
  recorded: RecordedMatter;
}

/** An order that joined a hotspot (as read under its lock), and the hotspot's change as it concerns that order. */
export interface HotspotJoin {
  order: HotspotOrder;
  change: HotspotChangedEvent;
}

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
   * After orders were recorded in their matters (a batch of the screening queue, or one order): for each matter that
   * is (now) a hotspot, writes its row — counted again under the row's lock, so that concurrent screenings of one matter
   * leave the counts of the last one — and announces the change after commit, once per matter (`hotspot.changed`, for
   * the batch's latest order of the matter). All in one transaction: the orders' rows are locked first (id order), then
   * the hotspots' (matterId order), always in that order. `joined` runs in the same transaction with every order that
   * joined a hotspot, as read under its lock, and the change as it concerns that order — `formed` for the first order
   * of a row made now, `grown` for the others, all with the row's counts after the batch (the caller writes
   * `hotspot-joined` on their timelines there). Answers those joins. Only orders whose own recording found their matter
   * reaching a hotspot join it.
   */
  async track(orders: readonly RecordedOrder[], joined?: (joins: HotspotJoin[], manager: EntityManager) => Promise<void>): Promise<HotspotJoin[]> {
    const reaching = orders.filter((order) => order.recorded.matter.reachesHotspot).sort((a, b) => a.workOrderId - b.workOrderId);
    if (reaching.length === 0) return [];
    const byMatter = new Map<number, RecordedOrder[]>();
    for (const order of reaching) byMatter.set(order.recorded.matterId, [...(byMatter.get(order.recorded.matterId) ?? []), order]);
    const { hotspotMinOrders, hotspotWindowDays } = this.config.repeatDetection;
    const now = this.clock.now();
    const { changes, joins } = await this.transactions.run(async (manager) => {
      const locked = await this.hotspots.lockOrders(reaching.map((order) => order.workOrderId), manager);
      // Each matter with its orders still there (an order deleted meanwhile joins nothing), newest last.
      const matters = [...byMatter].flatMap(([matterId, members]) => {
        const present = members.filter((member) => locked.has(member.workOrderId));
        if (present.length === 0) return [];
        const lastAt = new Date(Math.max(...present.map((member) => member.recorded.matter.lastAt.getTime())));
        return [{ matterId, members: present, newest: locked.get(present[present.length - 1].workOrderId) as HotspotOrder, lastAt }];
      });
      const rows = await this.hotspots.ensureLocked(
        matters.map(({ matterId, newest, lastAt }) => ({
          matterId,
          title: newest.title,
          address: newest.address,
          districtUnitId: newest.districtUnitId,
          streetUnitId: newest.streetUnitId,
          categoryId: newest.categoryId,
          memberCount: 0,
          callerCount: 0,
          firstAt: lastAt,
          lastAt,
          formedAt: now,
          updatedAt: now,
        })),
        manager,
      );
      const hot: { matter: (typeof matters)[number]; row: Hotspot; counted: NonNullable<Awaited<ReturnType<RepeatDetector['matterSince']>>> }[] = [];
      const unfilled: number[] = [];
      for (const matter of matters) {
        const row = rows.get(matter.matterId) as Hotspot;
        // Read after the lock: every order of the matter recorded before it is counted (in the database: a busy
        // matter has thousands of orders; a hotspot that only grew since its row was written adds its new orders to
        // the row's counts). The window ends with the matter's latest order.
        const known = row.memberCount > 0 ? { memberCount: row.memberCount, callerCount: row.callerCount, firstAt: row.firstAt, lastAt: row.lastAt } : undefined;
        const counted = await this.detector.matterSince(matter.matterId, new Date(matter.lastAt.getTime() - hotspotWindowDays * DAY_MS), manager, known);
        if (!counted || counted.memberCount < hotspotMinOrders || counted.callerCount < HOTSPOT_MIN_CALLERS) {
          // Counted under the lock, the matter is no hotspot after all: a row made just now goes again.
          if (row.memberCount === 0) unfilled.push(row.id);
          continue;
        }
        hot.push({ matter, row, counted });
      }
      await this.hotspots.removeUnfilled(unfilled, manager);
      // The matter's latest order is nearly always one of the batch's (already read); another when a later one was recorded first.
      const elsewhere = await this.hotspots.ordersOf(
        hot.map(({ counted }) => counted.latest.workOrderId).filter((id) => !locked.has(id)),
        manager,
      );
      const changes: HotspotChangedEvent[] = [];
      const joins: HotspotJoin[] = [];
      for (const { matter, row, counted } of hot) {
        const { memberCount, callerCount, firstAt } = counted;
        const lastAt = counted.latest.createdAt;
        const latestId = counted.latest.workOrderId;
        const latest = locked.get(latestId) ?? elsewhere.get(latestId) ?? matter.newest;
        const formed = row.memberCount === 0;
        const written = {
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
        await this.hotspots.update(row.id, written, manager);
        const change = {
          hotspotId: row.id,
          matterId: matter.matterId,
          change: formed ? 'formed' : 'grown',
          workOrderId: matter.newest.id,
          title: written.title,
          address: written.address,
          districtUnitId: written.districtUnitId,
          streetUnitId: written.streetUnitId,
          categoryId: written.categoryId,
          memberCount,
          callerCount,
          firstAt: firstAt.toISOString(),
          lastAt: lastAt.toISOString(),
        } satisfies HotspotChangedEvent;
        changes.push(change);
        matter.members.forEach((member, i) => {
          joins.push({
            order: locked.get(member.workOrderId) as HotspotOrder,
            change: { ...change, workOrderId: member.workOrderId, change: formed && i === 0 ? 'formed' : 'grown' },
          });
        });
      }
      if (joined && joins.length > 0) await joined(joins, manager);
      return { changes, joins };
    });
    for (const change of changes) this.events.emit('hotspot.changed', change);
    return joins;
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

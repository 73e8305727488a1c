import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { WorkingCalendarService } from '../calendar/working-calendar.service';
import { CategoriesService, type CategoryTreeNode } from '../categories/categories.service';
import { Clock } from '../common/clock';
import type { UnitTreeNode } from '../units/units.service';
import { UnitsService } from '../units/units.service';
import { isUnitRole } from '../users/role';
import { CHANNELS, OPEN_STATUSES, REQUEST_TYPES } from '../work-orders/work-order.enums';
import { centerDaysEndingAt, type CenterDay } from './center-days';
import { DashboardRepository, type LeadScope, type TimeRange } from './dashboard.repository';
import type { CategoryFigureView, DashboardView, DrillQuery, FigureView, UnitRowView } from './dashboard.view';

export const TREND_DAYS = 30;
export const TOP_CATEGORIES = 10;

/** Whose orders the dashboard counts: all (center staff) or those led by a unit's subtree (unit staff). */
interface Scope {
  /** The unit user's own unit, or null for center staff (every order). */
  root: UnitTreeNode | null;
  /** The node whose units the unit table lists: the center, or the unit user's own unit. */
  tableRoot: UnitTreeNode | null;
  leadUnits: LeadScope;
  /** Added to every drill-down query: the unit filter that gives the list the same scope. */
  base: DrillQuery;
}

/**
 * 督办看板: today's intake, the open, overdue (red) and warned (yellow) orders, a 30-day trend, the top categories and a unit
 * table, each figure with the list query that reproduces it. Center staff see the whole city; a unit's staff the
 * orders led by their unit and the units below it — the same scope the list gives with leadUnitId set to their unit.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly clock: Clock,
    private readonly calendars: WorkingCalendarService,
  ) {}

  async dashboard(caller: AuthUser): Promise<DashboardView> {
    const now = this.clock.now();
    // The center's days: the working calendar's time zone (CENTER_TIMEZONE).
    const zone = (await this.calendars.current()).timeZone;
    const days = centerDaysEndingAt(now, zone, TREND_DAYS);
    const today = days[days.length - 1];
    const month: TimeRange = { from: days[0].from, to: today.to };
    const scope = await this.scopeOf(caller);
    const figure = (count: number, query: DrillQuery): FigureView => ({ count, query: { ...scope.base, ...query } });
    const todayQuery = rangeQuery('created', today);
    const lead = scope.leadUnits;
    const [todayIntake, byChannel, byType, byStatus, warnings, created, closed, categories, units] = await Promise.all([
      this.repository.intake(today, lead),
      this.repository.intakeBy('channel', CHANNELS, today, lead),
      this.repository.intakeBy('requestType', REQUEST_TYPES, today, lead),
      this.repository.byStatus(OPEN_STATUSES, lead),
      this.repository.byWarning(lead),
      this.repository.createdPerDay(days, lead),
      this.repository.closedPerDay(days, lead),
      this.topCategories(month, scope, figure),
      this.unitRows(scope, month),
    ]);
    const openCount = OPEN_STATUSES.reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0);
    return {
      generatedAt: now,
      timeZone: zone.name,
      today: today.date,
      scopeUnit: scope.root ? { id: scope.root.id, code: scope.root.code, name: scope.root.name } : null,
      todayIntake: figure(todayIntake, todayQuery),
      todayByChannel: CHANNELS.map((channel) => ({ channel, ...figure(byChannel.get(channel) ?? 0, { ...todayQuery, channel }) })),
      todayByRequestType: REQUEST_TYPES.map((requestType) => ({ requestType, ...figure(byType.get(requestType) ?? 0, { ...todayQuery, requestType }) })),
      open: figure(openCount, { open: true }),
      openByStatus: OPEN_STATUSES.map((status) => ({ status, ...figure(byStatus.get(status) ?? 0, { status }) })),
      overdue: figure(warnings.get('red') ?? 0, { warning: 'red' }),
      yellow: figure(warnings.get('yellow') ?? 0, { warning: 'yellow' }),
      trend: days.map((day, i) => ({
        date: day.date,
        created: figure(created[i], rangeQuery('created', day)),
        closed: figure(closed[i], { status: 'closed', ...rangeQuery('closed', day) }),
      })),
      topCategories: categories,
      units,
    };
  }

  private async scopeOf(caller: AuthUser): Promise<Scope> {
    const roots = await this.units.visibleTree(caller);
    if (!isUnitRole(caller.role)) return { root: null, tableRoot: roots.find((node) => node.type === 'center') ?? null, leadUnits: null, base: {} };
    const [root] = roots;
    if (!root) return { root: null, tableRoot: null, leadUnits: [], base: { leadUnitId: caller.unitId } };
    return { root, tableRoot: root, leadUnits: subtreeIds(root), base: { leadUnitId: root.id } };
  }

  private async topCategories(month: TimeRange, scope: Scope, figure: (count: number, query: DrillQuery) => FigureView): Promise<CategoryFigureView[]> {
    const all = flatten(await this.categories.tree());
    const counts = await this.repository.intakeBy('categoryId', all.map((c) => c.id), month, scope.leadUnits);
    return all
      .map((category) => ({ category, count: counts.get(String(category.id)) ?? 0 }))
      .filter(({ count }) => count > 0)
      .sort((a, b) => b.count - a.count || a.category.id - b.category.id)
      .slice(0, TOP_CATEGORIES)
      .map(({ category, count }) => ({
        categoryId: category.id,
        name: category.name,
        path: category.path,
        ...figure(count, { categoryId: category.id, ...rangeQuery('created', month) }),
      }));
  }

  /**
   * One row per unit below the scope's root (the center's units; for unit staff their own unit first, then the
   * units directly below it), each counting the orders led by the unit or a unit below it.
   */
  private async unitRows(scope: Scope, month: TimeRange): Promise<UnitRowView[]> {
    const root = scope.tableRoot;
    if (!root) return [];
    const rows = scope.root ? [root, ...root.children] : root.children;
    const unitOf = new Map<number, number[]>();
    for (const row of rows) unitOf.set(row.id, subtreeIds(row));
    const every = [...new Set(rows.flatMap((row) => unitOf.get(row.id) ?? []))];
    const [open, warnings, received, closed] = await Promise.all([
      this.repository.byLeadUnitInStatuses(every, OPEN_STATUSES),
      this.repository.warningByLeadUnit(every),
      this.repository.intakeByLeadUnit(every, month),
      this.repository.intakeByLeadUnit(every, month, 'closed'),
    ]);
    const monthQuery = rangeQuery('created', month);
    return rows.map((row) => {
      const ids = unitOf.get(row.id) ?? [];
      const sum = (counts: Map<string, number>, suffix = '') => ids.reduce((total, id) => total + (counts.get(`${id}${suffix}`) ?? 0), 0);
      const figure = (count: number, query: DrillQuery): FigureView => ({ count, query: { ...query, leadUnitId: row.id } });
      return {
        unitId: row.id,
        code: row.code,
        name: row.name,
        open: figure(sum(open), { open: true }),
        overdue: figure(sum(warnings, ':red'), { warning: 'red' }),
        yellow: figure(sum(warnings, ':yellow'), { warning: 'yellow' }),
        received: figure(sum(received), monthQuery),
        closed: figure(sum(closed), { status: 'closed', ...monthQuery }),
      };
    });
  }
}

function rangeQuery(kind: 'created' | 'closed', range: TimeRange | CenterDay): DrillQuery {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  return kind === 'created' ? { createdFrom: from, createdTo: to } : { closedFrom: from, closedTo: to };
}

function subtreeIds(node: UnitTreeNode): number[] {
  return [node.id, ...node.children.flatMap(subtreeIds)];
}

function flatten(nodes: CategoryTreeNode[]): CategoryTreeNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

import type { Channel, RequestType, WorkOrderStatus } from '../work-orders/work-order.enums';

/**
 * The `GET /api/work-orders` query that lists the orders a figure counts (its drill-down). `closedFrom` and `closedTo`
 * name a filter the closed-per-day figures need that the list does not have yet.
 */
export interface DrillQuery {
  status?: WorkOrderStatus;
  /** Every status but closed, merged, cancelled and invalid. */
  open?: boolean;
  warning?: 'yellow' | 'red';
  channel?: Channel;
  requestType?: RequestType;
  categoryId?: number;
  leadUnitId?: number;
  createdFrom?: string;
  createdTo?: string;
  closedFrom?: string;
  closedTo?: string;
}

export interface FigureView {
  count: number;
  query: DrillQuery;
}

export interface ChannelFigureView extends FigureView {
  channel: Channel;
}

export interface RequestTypeFigureView extends FigureView {
  requestType: RequestType;
}

export interface StatusFigureView extends FigureView {
  status: WorkOrderStatus;
}

export interface TrendDayView {
  /** YYYY-MM-DD in the center's time zone. */
  date: string;
  created: FigureView;
  closed: FigureView;
}

export interface CategoryFigureView extends FigureView {
  categoryId: number;
  name: string;
  path: string;
}

export interface UnitRowView {
  unitId: number;
  code: string;
  name: string;
  open: FigureView;
  /** 超期: at the red warning level. */
  overdue: FigureView;
  yellow: FigureView;
  received: FigureView;
  closed: FigureView;
}

export interface DashboardScopeView {
  id: number;
  code: string;
  name: string;
}

export interface DashboardView {
  generatedAt: Date;
  timeZone: string;
  today: string;
  /** The unit whose subtree the figures cover (a unit user's own unit), or null for the whole city. */
  scopeUnit: DashboardScopeView | null;
  todayIntake: FigureView;
  todayByChannel: ChannelFigureView[];
  todayByRequestType: RequestTypeFigureView[];
  open: FigureView;
  openByStatus: StatusFigureView[];
  /** 超期: at the red warning level (a running deadline passed; it stays red while supervised). */
  overdue: FigureView;
  /** 预警: at the yellow warning level. */
  yellow: FigureView;
  trend: TrendDayView[];
  topCategories: CategoryFigureView[];
  units: UnitRowView[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNEL_SCHEMA,
  REQUEST_TYPE_SCHEMA,
  WORK_ORDER_STATUS_SCHEMA,
} from '../../work-orders/dto/work-order-enum.schemas';
import type { Channel, RequestType, WorkOrderStatus } from '../../work-orders/work-order.enums';
import type {
  CategoryFigureView,
  ChannelFigureView,
  DashboardScopeView,
  DashboardView,
  DrillQuery,
  FigureView,
  RequestTypeFigureView,
  StatusFigureView,
  TrendDayView,
  UnitRowView,
} from '../dashboard.view';

const DATE_TIME_TEXT = { type: String, format: 'date-time', example: '2026-12-01T16:00:00.000Z' } as const;

export class DrillQueryResponse implements DrillQuery {
  @ApiPropertyOptional({ ...WORK_ORDER_STATUS_SCHEMA, description: 'Only orders in this status' })
  status?: WorkOrderStatus;

  @ApiPropertyOptional({ description: 'Only open orders: every status but closed, merged, cancelled and invalid' })
  open?: boolean;

  @ApiPropertyOptional({ enum: ['yellow', 'red'], enumName: 'WarningFilter', description: 'Only orders at this warning level' })
  warning?: 'yellow' | 'red';

  @ApiPropertyOptional({ ...CHANNEL_SCHEMA, description: 'Only orders that came in through this channel' })
  channel?: Channel;

  @ApiPropertyOptional({ ...REQUEST_TYPE_SCHEMA, description: 'Only orders of this request type' })
  requestType?: RequestType;

  @ApiPropertyOptional({ type: 'integer', description: 'Only orders of this category (and the categories below it)' })
  categoryId?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Only orders led by this unit or a unit below it' })
  leadUnitId?: number;

  @ApiPropertyOptional({ ...DATE_TIME_TEXT, description: 'Registered at or after' })
  createdFrom?: string;

  @ApiPropertyOptional({ ...DATE_TIME_TEXT, description: 'Registered before' })
  createdTo?: string;

  @ApiPropertyOptional({ ...DATE_TIME_TEXT, description: 'Closed at or after (a list filter the dashboard asks for)' })
  closedFrom?: string;

  @ApiPropertyOptional({ ...DATE_TIME_TEXT, description: 'Closed before (a list filter the dashboard asks for)' })
  closedTo?: string;
}

export class FigureResponse implements FigureView {
  @ApiProperty({ type: 'integer', description: 'How many orders (exact)' })
  count: number;

  @ApiProperty({ type: DrillQueryResponse, description: 'The GET /api/work-orders query that lists these orders' })
  query: DrillQueryResponse;
}

export class ChannelFigureResponse extends FigureResponse implements ChannelFigureView {
  @ApiProperty({ ...CHANNEL_SCHEMA, description: 'The channel counted' })
  channel: Channel;
}

export class RequestTypeFigureResponse extends FigureResponse implements RequestTypeFigureView {
  @ApiProperty({ ...REQUEST_TYPE_SCHEMA, description: 'The request type counted' })
  requestType: RequestType;
}

export class StatusFigureResponse extends FigureResponse implements StatusFigureView {
  @ApiProperty({ ...WORK_ORDER_STATUS_SCHEMA, description: 'The status counted' })
  status: WorkOrderStatus;
}

export class TrendDayResponse implements TrendDayView {
  @ApiProperty({ format: 'date', example: '2026-12-02', description: 'The day in the center’s time zone' })
  date: string;

  @ApiProperty({ type: FigureResponse, description: 'Orders registered that day' })
  created: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: 'Orders closed that day (and still closed)' })
  closed: FigureResponse;
}

export class CategoryFigureResponse extends FigureResponse implements CategoryFigureView {
  @ApiProperty({ type: 'integer', description: 'The category counted (the one orders carry)' })
  categoryId: number;

  @ApiProperty({ example: '路灯', description: 'The category’s name' })
  name: string;

  @ApiProperty({ example: '城乡建设/市政设施/路灯', description: 'Names from the root' })
  path: string;
}

export class UnitRowResponse implements UnitRowView {
  @ApiProperty({ type: 'integer', description: 'The unit; every figure counts the orders led by it or a unit below it' })
  unitId: number;

  @ApiProperty({ example: 'cgj', description: 'The unit’s code' })
  code: string;

  @ApiProperty({ example: '云川市城市管理局', description: 'The unit’s name' })
  name: string;

  @ApiProperty({ type: FigureResponse, description: 'Open orders' })
  open: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: '超期: orders at the red warning level (a running deadline passed)' })
  overdue: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: '预警: orders at the yellow warning level (little time left)' })
  yellow: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: 'Orders registered in the last 30 days that it leads' })
  received: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: 'Of those, the ones closed now' })
  closed: FigureResponse;
}

export class DashboardScopeResponse implements DashboardScopeView {
  @ApiProperty({ type: 'integer', description: 'The unit' })
  id: number;

  @ApiProperty({ example: 'dc', description: 'The unit’s code' })
  code: string;

  @ApiProperty({ example: '东城区', description: 'The unit’s name' })
  name: string;
}

export class DashboardResponse implements DashboardView {
  @ApiProperty({ type: String, format: 'date-time', description: 'When the figures were counted' })
  generatedAt: Date;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'The center’s time zone: days and “today” are its days' })
  timeZone: string;

  @ApiProperty({ format: 'date', example: '2026-12-02', description: 'Today in the center’s time zone' })
  today: string;

  @ApiProperty({ type: DashboardScopeResponse, nullable: true, description: 'The unit whose orders (led by it or a unit below) the figures count — a unit user’s own unit — or null for every order' })
  scopeUnit: DashboardScopeResponse | null;

  @ApiProperty({ type: FigureResponse, description: 'Orders registered today' })
  todayIntake: FigureResponse;

  @ApiProperty({ type: [ChannelFigureResponse], description: 'Orders registered today, per channel (every channel, zeros included)' })
  todayByChannel: ChannelFigureResponse[];

  @ApiProperty({ type: [RequestTypeFigureResponse], description: 'Orders registered today, per request type (every type, zeros included)' })
  todayByRequestType: RequestTypeFigureResponse[];

  @ApiProperty({ type: FigureResponse, description: 'Open orders (every status but closed, merged, cancelled and invalid)' })
  open: FigureResponse;

  @ApiProperty({ type: [StatusFigureResponse], description: 'Open orders per status (every open status, zeros included)' })
  openByStatus: StatusFigureResponse[];

  @ApiProperty({
    type: FigureResponse,
    description: '超期: orders at the red warning level — a running deadline (dispatch, acceptance, first contact or reply) passed; a supervised order stays red after the supervision set a new reply deadline',
  })
  overdue: FigureResponse;

  @ApiProperty({ type: FigureResponse, description: '预警: orders at the yellow warning level: little time left on a running deadline' })
  yellow: FigureResponse;

  @ApiProperty({ type: [TrendDayResponse], description: 'The last 30 days, oldest first, today last' })
  trend: TrendDayResponse[];

  @ApiProperty({ type: [CategoryFigureResponse], description: 'The 10 categories with the most orders registered in the last 30 days, most first' })
  topCategories: CategoryFigureResponse[];

  @ApiProperty({ type: [UnitRowResponse], description: 'Per unit below the scope (the center’s units; for a unit user, its own unit and the units directly below it)' })
  units: UnitRowResponse[];
}

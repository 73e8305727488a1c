import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { PageQueryDto, WithinPageOffset } from '../../common/pagination';
import {
  CHANNELS,
  type Channel,
  REQUEST_TYPES,
  type RequestType,
  type WarningLevel,
  WORK_ORDER_STATUSES,
  type WorkOrderStatus,
} from '../work-order.enums';

/** 'true'/'false' become booleans; anything else stays as it came and fails @IsBoolean. */
const booleanText = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export const WORK_ORDER_SORT_FIELDS = ['createdAt', 'updatedAt', 'replyDueAt', 'acceptDueAt', 'number', 'urgency', 'status'] as const;
export type WorkOrderSortField = (typeof WORK_ORDER_SORT_FIELDS)[number];
/** A list's order: a field, or with a keyword the search's relevance. */
export const LIST_SORT_FIELDS = [...WORK_ORDER_SORT_FIELDS, 'relevance'] as const;
export type ListSortField = (typeof LIST_SORT_FIELDS)[number];

/** Numbered pages of a work-order list reach this many orders; deeper pages follow `nextCursor`. */
export const LIST_MAX_OFFSET = 2_000;

/** `pageSize` as every list has it; `page` bounded tighter, since deeper pages of this list follow the cursor. */
export class ListWorkOrdersQueryDto extends PickType(PageQueryDto, ['pageSize'] as const) {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: `Numbered pages for the first ${LIST_MAX_OFFSET.toLocaleString('en')} orders: (page − 1) × pageSize ≤ ${LIST_MAX_OFFSET}; deeper, follow nextCursor` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIST_MAX_OFFSET + 1)
  @WithinPageOffset(LIST_MAX_OFFSET, `page reaches past the first ${LIST_MAX_OFFSET.toLocaleString('en')} orders: follow nextCursor from page to page instead (or narrow the filters)`)
  page: number = 1;


  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES)
  status?: WorkOrderStatus;

  @ApiPropertyOptional({ description: 'Orders led by this unit or any unit below it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  leadUnitId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  categoryId?: number;

  @ApiPropertyOptional({ enum: REQUEST_TYPES })
  @IsOptional()
  @IsIn(REQUEST_TYPES)
  requestType?: RequestType;

  @ApiPropertyOptional({ enum: ['yellow', 'red'], description: 'Only orders at this warning level: yellow (little time left on a running deadline) or red (overdue)' })
  @IsOptional()
  @IsIn(['yellow', 'red'], { message: 'warning must be one of yellow, red' })
  warning?: Exclude<WarningLevel, 'none'>;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Registered at or after (RFC 3339 with an offset, years 2000–2100)' })
  @IsOptional()
  @IsStrictDateTime()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Registered before (RFC 3339 with an offset, years 2000–2100)' })
  @IsOptional()
  @IsStrictDateTime()
  createdTo?: string;

  @ApiPropertyOptional({ description: 'Exact citizen phone; center staff only (a unit user gets 403: the lead unit uses POST /api/work-orders/{id}/reveal-contact)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  citizenPhone?: string;

  @ApiPropertyOptional({ enum: ['me'], description: "分派: `me` lists the orders assigned to the caller (a handler's inbox)" })
  @IsOptional()
  @IsIn(['me'], { message: 'assignee must be me (or use assigneeId)' })
  assignee?: 'me';

  @ApiPropertyOptional({ description: "分派: orders assigned to this user; a handler may name only themself (the unit's admin and the center anyone)" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  assigneeId?: number;

  @ApiPropertyOptional({ type: Boolean, description: "协办逾期: only orders with an assisting unit's part not submitted by its due date (for a unit user, only its own units' parts count)" })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'assistOverdue must be true or false' })
  assistOverdue?: boolean;

  @ApiPropertyOptional({ description: '办结 from: closed at or after this instant (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  closedFrom?: string;

  @ApiPropertyOptional({ description: '办结 to: closed before this instant (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  closedTo?: string;

  @ApiPropertyOptional({ type: Boolean, description: '未办结: only open orders (not closed, merged, cancelled or invalid)' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: '督办件: only orders under supervision (督办)' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'supervised must be true or false' })
  supervised?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: '延期申请: only orders whose unit has asked for more time and waits for the decision' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'extensionRequested must be true or false' })
  extensionRequested?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: '下派: only orders with sub-orders (子工单) dispatched from them' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'hasChildren must be true or false' })
  hasChildren?: boolean;

  @ApiPropertyOptional({
    description:
      'Full-text search (Chinese and other text, 2 characters or more) in number, title, content and address — never the citizen. Several words must all match. Digits only (6 or more): order numbers starting with them. Newest first; sortBy=relevance ranks the best matches (title counts more), those of a word in 2,000 or more of the newest orders among its 2,000 newest matches. With a keyword the total is counted up to 1,000.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  keyword?: string;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page: continues the list where it ended (keyset paging; no page with it)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  cursor?: string;

  @ApiPropertyOptional({
    enum: LIST_SORT_FIELDS,
    description: 'Default createdAt. number orders like createdAt; replyDueAt/acceptDueAt put orders without that deadline last; status in lifecycle order; urgency by rank',
  })
  @IsOptional()
  @IsIn(LIST_SORT_FIELDS)
  sortBy?: ListSortField;

  @ApiPropertyOptional({ enum: ['ASC', 'DESC'], default: 'DESC' })
  @IsOptional()
  @IsIn(['ASC', 'DESC'])
  sortOrder?: 'ASC' | 'DESC';
}

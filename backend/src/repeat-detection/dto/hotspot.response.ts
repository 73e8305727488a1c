import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from '../../common/page.response';
import { WORK_ORDER_STATUS_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { WorkOrderStatus } from '../../work-orders/work-order.enums';
import type { HotspotMemberView, HotspotView } from '../hotspot.view';
import type { HotspotPage } from '../hotspots.service';

const dateTime = { type: String, format: 'date-time' } as const;

/** An order of a hotspot; one the caller may not open shows only its id and `accessible: false`. */
export class HotspotMemberResponse implements HotspotMemberView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ description: 'False: an order of another unit; then nothing but its id is sent' })
  accessible: boolean;

  @ApiPropertyOptional({ description: 'Only when accessible' })
  number?: string;

  @ApiPropertyOptional({ description: 'Only when accessible' })
  title?: string;

  @ApiPropertyOptional(WORK_ORDER_STATUS_SCHEMA)
  status?: WorkOrderStatus;

  @ApiPropertyOptional({ ...dateTime, description: 'Only when accessible' })
  createdAt?: Date;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'As lists show it: null on a confidential order for unit staff' })
  citizenName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'As lists show it: in full for the center, masked (138****1234) for units, null on a confidential order for unit staff' })
  citizenPhone?: string | null;
}

/** 热点 (多人反映): one matter reported by several citizens at one place. */
export class HotspotResponse implements HotspotView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer', description: 'The matter (事项): the id of its first order' })
  matterId: number;

  @ApiProperty({ description: 'The title of the matter’s latest order' })
  title: string;

  @ApiProperty({ description: 'The address of the matter’s latest order' })
  address: string;

  @ApiProperty({ type: 'integer', nullable: true })
  districtUnitId: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  streetUnitId: number | null;

  @ApiProperty({ type: 'integer' })
  categoryId: number;

  @ApiProperty({ example: '城乡建设/市政设施/路灯' })
  categoryPath: string;

  @ApiProperty({ type: 'integer', description: 'Orders of the matter within the hotspot window when it last grew' })
  memberCount: number;

  @ApiProperty({ type: 'integer', description: 'Their distinct callers' })
  callerCount: number;

  @ApiProperty(dateTime)
  firstAt: Date;

  @ApiProperty(dateTime)
  lastAt: Date;

  @ApiProperty({ ...dateTime, description: 'When it first reached the hotspot size' })
  formedAt: Date;

  @ApiProperty(dateTime)
  updatedAt: Date;

  @ApiProperty({ description: 'Its last order is within the hotspot window of now' })
  active: boolean;

  @ApiProperty({ type: 'integer', description: 'Orders of the matter in the last 7 days' })
  recentCount: number;

  @ApiProperty({ type: 'integer', description: 'Orders of the matter in the 7 days before those' })
  previousCount: number;

  @ApiProperty({ type: 'integer', description: 'recentCount − previousCount' })
  growth: number;

  @ApiProperty({ type: [HotspotMemberResponse], description: 'The matter’s orders since firstAt, newest first: at most 20 in a list, all (up to 500) on GET /api/hotspots/{id}' })
  members: HotspotMemberResponse[];

  @ApiProperty({ type: 'integer', description: 'The matter’s orders since firstAt in all' })
  memberTotal: number;
}

export class HotspotPageResponse extends PageResponse implements HotspotPage {
  @ApiProperty({ type: [HotspotResponse], description: 'Largest first, then the fastest growing, then the latest' })
  items: HotspotResponse[];
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { PageQueryDto } from '../../common/pagination';

export const HOTSPOT_STATES = ['active', 'all'] as const;
export type HotspotState = (typeof HOTSPOT_STATES)[number];

export class ListHotspotsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: HOTSPOT_STATES, default: 'active', description: 'active: the last order is within the hotspot window (HOTSPOT_WINDOW_DAYS) of now; all: every hotspot ever formed' })
  @IsOptional()
  @IsIn(HOTSPOT_STATES, { message: `state must be one of: ${HOTSPOT_STATES.join(', ')}` })
  state: HotspotState = 'active';

  @ApiPropertyOptional({ type: 'integer', description: 'Only hotspots in this district (its latest order’s)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  districtUnitId?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Only hotspots in this street (街镇)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  streetUnitId?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Only hotspots in this category or a category below it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  categoryId?: number;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Hotspots with an order at or after this time (lastAt ≥ from; RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Hotspots with an order before this time (firstAt < to; RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  to?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_SIMILAR_ORDERS = 50;
export const DEFAULT_SIMILAR_ORDERS = 10;

export class SimilarOrdersQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SIMILAR_ORDERS, default: DEFAULT_SIMILAR_ORDERS, description: 'At most this many candidates' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_SIMILAR_ORDERS, { message: `limit must be at most ${MAX_SIMILAR_ORDERS}` })
  limit: number = DEFAULT_SIMILAR_ORDERS;
}

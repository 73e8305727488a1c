import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
/**
 * How many records a page may skip. OFFSET paging reads and throws away every skipped row, so deep pages are
 * slow and never what a person wants (page 1e18 used to reach the database and answer 500); past this the
 * caller is asked to narrow the filters.
 */
export const MAX_PAGE_OFFSET = 10_000;
/** The highest page number that can be valid at all (pageSize 1). */
export const MAX_PAGE = MAX_PAGE_OFFSET + 1;

/** (page − 1) × pageSize must stay within `maxOffset`; checked on `page` once both are numbers. */
export function WithinPageOffset(
  maxOffset = MAX_PAGE_OFFSET,
  message = `page and pageSize reach past the first ${MAX_PAGE_OFFSET.toLocaleString('en')} records: narrow the filters (or sort the other way) instead`,
): PropertyDecorator {
  return ValidateBy({
    name: 'withinPageOffset',
    validator: {
      validate: (page: unknown, args) => {
        const pageSize = (args?.object as { pageSize?: unknown } | undefined)?.pageSize;
        if (typeof page !== 'number' || typeof pageSize !== 'number' || !Number.isInteger(pageSize)) return true;
        return (page - 1) * pageSize <= maxOffset;
      },
      defaultMessage: () => message,
    },
  });
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `(page − 1) × pageSize may not exceed ${MAX_PAGE_OFFSET}` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  @WithinPageOffset()
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = 20;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

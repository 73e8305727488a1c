import { ApiProperty } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from './pagination';

/** The paging fields of a Page<T>; each paged response class adds its typed `items`. */
export abstract class PageResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Matching records on all pages' })
  total: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE })
  pageSize: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_TYPE_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { RequestType } from '../../work-orders/work-order.enums';
import type { CategoryTreeNode } from '../categories.service';

/** One category of the three-level tree (GET /api/categories), with the categories directly below it. */
export class CategoryTreeNodeResponse implements CategoryTreeNode {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'C010101' })
  code: string;

  @ApiProperty({ example: '路灯' })
  name: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, description: 'Work orders are filed under level-3 (leaf) categories' })
  level: number;

  @ApiProperty({ example: '城乡建设/市政设施/路灯', description: 'Names from the root' })
  path: string;

  @ApiProperty({ type: 'integer', nullable: true })
  defaultLeadUnitId: number | null;

  @ApiProperty({ ...REQUEST_TYPE_SCHEMA, nullable: true })
  defaultRequestType: RequestType | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: () => [CategoryTreeNodeResponse] })
  children: CategoryTreeNodeResponse[];
}

/** One category, as creating or changing it answers. */
export class CategoryResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'C010101' })
  code: string;

  @ApiProperty({ example: '路灯' })
  name: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 })
  level: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Null for a level-1 category' })
  parentId: number | null;

  @ApiProperty({ example: '城乡建设/市政设施/路灯', description: 'Names from the root' })
  path: string;

  @ApiProperty({ type: 'integer', nullable: true })
  defaultLeadUnitId: number | null;

  @ApiProperty({ ...REQUEST_TYPE_SCHEMA, nullable: true })
  defaultRequestType: RequestType | null;

  @ApiProperty({ type: 'integer' })
  sortOrder: number;

  @ApiProperty()
  active: boolean;
}

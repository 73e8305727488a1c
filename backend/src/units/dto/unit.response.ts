import { ApiProperty } from '@nestjs/swagger';
import { UNIT_TYPES, type UnitType } from '../unit-type';
import type { UnitTreeNode, UnitView } from '../units.service';

/** The unit type as a named schema, shared by every response that carries one. */
export const UNIT_TYPE_SCHEMA = { enum: UNIT_TYPES, enumName: 'UnitType' } as const;

/** One unit (the answer to creating or changing a unit). */
export class UnitResponse implements UnitView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'dc_cy' })
  code: string;

  @ApiProperty({ example: '朝阳街道办事处' })
  name: string;

  @ApiProperty(UNIT_TYPE_SCHEMA)
  type: UnitType;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Null for a root unit' })
  parentId: number | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: '领导审签: a handler’s reply needs the unit_admin’s approval before it goes to the center' })
  leaderSignOff: boolean;
}

/** One unit of the tree (GET /api/units), with the units directly below it. */
export class UnitTreeNodeResponse extends UnitResponse implements UnitTreeNode {
  @ApiProperty({ type: () => [UnitTreeNodeResponse] })
  children: UnitTreeNodeResponse[];
}

import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/page.response';
import type { Page } from '../../common/pagination';
import { UNIT_TYPE_SCHEMA } from '../../units/dto/unit.response';
import type { UnitType } from '../../units/unit-type';
import { ROLES, type Role } from '../role';
import type { UserView } from '../users.service';

/** The role as a named schema, shared by every response that carries one. */
export const ROLE_SCHEMA = { enum: ROLES, enumName: 'Role' } as const;

export class UserUnitResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty(UNIT_TYPE_SCHEMA)
  type: UnitType;
}

/** A user account as clients see it (no password hash, lock or token state). */
export class UserResponse implements UserView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'agent1' })
  username: string;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;

  @ApiProperty(ROLE_SCHEMA)
  role: Role;

  @ApiProperty({ type: 'integer' })
  unitId: number;

  @ApiProperty({ type: UserUnitResponse, nullable: true })
  unit: UserUnitResponse | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'The account has a one-time password (new, or reset by an administrator): every route but GET /api/me, logout and POST /api/auth/change-password answers 403 PASSWORD_CHANGE_REQUIRED until it is changed' })
  mustChangePassword: boolean;
}

export class UserPageResponse extends PageResponse implements Page<UserView> {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];
}

import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { PageQueryDto } from '../common/pagination';
import { CreateUserDto, UpdateUserDto, UserWithOneTimePasswordResponse } from './dto/user-admin.dto';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { ROLES, type Role } from './role';
import { UsersAdminService } from './users-admin.service';
import { UsersService } from './users.service';

const userId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The user id must be a whole number') });

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  unitId?: number;

  @ApiPropertyOptional({ description: 'Matches username or display name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  keyword?: string;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly admin: UsersAdminService,
  ) {}

  @Get()
  @Roles('admin', 'unit_admin')
  @ApiOperation({
    summary: 'List user accounts (administrators; a unit administrator lists the staff of their own unit, to assign orders)',
    description: 'For a unit_admin `unitId` defaults to their own unit, and another unit answers 403.',
  })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrorResponses(400, 401, 403)
  list(@CurrentUser() caller: AuthUser, @Query() query: ListUsersQueryDto) {
    if (caller.role === 'unit_admin') {
      if (query.unitId !== undefined && query.unitId !== caller.unitId) {
        throw new ForbiddenException('A unit administrator lists only the staff of their own unit');
      }
      return this.users.list({ ...query, unitId: caller.unitId ?? undefined });
    }
    return this.users.list(query);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create a user account with a one-time password (administrators only; audited)',
    description: 'The one-time password is in this answer only; the user must change it at the first login.',
  })
  @ApiCreatedResponse({ type: UserWithOneTimePasswordResponse })
  @ApiErrorResponses(400, 401, 403, 409, 422)
  create(@CurrentActor() actor: AuditActor, @Body() dto: CreateUserDto) {
    return this.admin.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a user’s display name, role or unit, disable or enable the account (administrators only; audited)',
    description: 'Disabling, a new role and a new unit end the user’s sessions at once: tokens are refused, open sockets closed.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  update(@CurrentActor() actor: AuditActor, @Param('id', userId) id: number, @Body() dto: UpdateUserDto) {
    return this.admin.update(id, dto, actor);
  }

  @Post(':id/reset-password')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give a user a new one-time password (administrators only; audited)',
    description: 'Answered once. Unlocks the account and ends its sessions; the user must change the password at the next login.',
  })
  @ApiOkResponse({ type: UserWithOneTimePasswordResponse })
  @ApiErrorResponses(400, 401, 403, 404)
  resetPassword(@CurrentActor() actor: AuditActor, @Param('id', userId) id: number) {
    return this.admin.resetPassword(id, actor);
  }
}

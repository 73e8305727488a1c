import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { PageQueryDto } from '../common/pagination';
import { UserPageResponse } from './dto/user.response';
import { ROLES, type Role } from './role';
import { UsersService } from './users.service';

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
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List user accounts (administrators only)' })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: ListUsersQueryDto) {
    return this.users.list(query);
  }
}

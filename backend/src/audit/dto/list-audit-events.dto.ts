import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { decodeAuditCursor } from '../audit-cursor';

export const MAX_AUDIT_PAGE_SIZE = 200;
export const DEFAULT_AUDIT_PAGE_SIZE = 50;

function IsAuditCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isAuditCursor',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeAuditCursor(value) !== null,
      defaultMessage: () => 'cursor must be the nextCursor of a previous page',
    },
  });
}

/** Filters of GET /api/audit; every one is optional and they combine with AND. */
export class ListAuditEventsQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Rows at or after this instant' })
  @IsOptional()
  @IsStrictDateTime()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Rows before this instant (not included)' })
  @IsOptional()
  @IsStrictDateTime()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The acting user’s id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'actorId must be a whole number' })
  @Min(1, { message: 'actorId must be at least 1' })
  @Max(2_147_483_647, { message: 'actorId is too large' })
  actorId?: number;

  @ApiPropertyOptional({ maxLength: 64, description: 'The actor’s name as recorded (display name; `system`; the username typed for a failed login), exactly' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'actorName must not be empty' })
  @MaxLength(64)
  actorName?: string;

  @ApiPropertyOptional({
    maxLength: 64,
    example: 'auth.',
    description: 'An action exactly (`auth.login-failed`), or all actions under a prefix when it ends with a dot (`user.`)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/, { message: 'action must be a dotted action name such as auth.login, or a prefix ending with a dot such as user.' })
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'user', description: 'The kind of record (`user`, `unit`, `work_order`, `calendar_override`…), exactly' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'targetType must not be empty' })
  @MaxLength(64)
  targetType?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'The record’s id as text, exactly' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'targetId must not be empty' })
  @MaxLength(64)
  targetId?: string;

  @ApiPropertyOptional({ type: String, description: 'The `nextCursor` of the previous page (opaque); absent for the newest page' })
  @IsOptional()
  @IsAuditCursor()
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1)
  @Max(MAX_AUDIT_PAGE_SIZE)
  pageSize: number = DEFAULT_AUDIT_PAGE_SIZE;
}

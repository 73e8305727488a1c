import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { PageQueryDto } from '../../common/pagination';
import { SHIRKING_RULES, type ShirkingRule } from '../shirking.enums';

const booleanText = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** A period of flags (flaggedAt), both ends optional. */
export class ShirkingPeriodQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Flagged at or after (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Flagged before (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  to?: string;
}

/** GET /api/shirking: the supervisors' queue of flagged orders. */
export class ShirkingQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only flags about this unit or a unit below it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  unitId?: number;

  @ApiPropertyOptional({ enum: SHIRKING_RULES, description: 'Only orders flagged by this rule' })
  @IsOptional()
  @IsIn(SHIRKING_RULES)
  rule?: ShirkingRule;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Flagged (first, or found more) at or after (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Flagged before (RFC 3339 with an offset)' })
  @IsOptional()
  @IsStrictDateTime()
  to?: string;

  @ApiPropertyOptional({ type: Boolean, description: '争议件: only disputed orders' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'disputed must be true or false' })
  disputed?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Only flags not resolved yet (a ruling resolves the dispute flags)' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;
}

/** POST /api/shirking/flags/:id/resolve */
export class ResolveFlagDto {
  @ApiPropertyOptional({ minLength: 2, maxLength: 500, description: 'What was done about it' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  note?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { REQUEST_TYPES, URGENCIES, type RequestType, type Urgency } from '../../work-orders/work-order.enums';
import { LIMIT_UNITS, type LimitUnit } from '../deadline-limits';

export class LimitDto {
  @ApiProperty({ type: Number, example: 5, description: 'Greater than 0; whole for working_days (≤ 3650), fractional allowed for hours (≤ 87600)' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'amount must be a number' })
  @Min(0.001, { message: 'amount must be greater than 0' })
  @Max(87_600)
  amount: number;

  @ApiProperty({ enum: LIMIT_UNITS, enumName: 'LimitUnit' })
  @IsIn(LIMIT_UNITS, { message: `unit must be one of ${LIMIT_UNITS.join(', ')}` })
  unit: LimitUnit;
}

export class LimitsDto {
  @ApiProperty({ type: LimitDto, description: 'The center dispatches by (from registration)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  dispatch: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'The unit accepts (签收) by (from dispatch)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  accept: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'First contact with the citizen by (from dispatch)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  contact: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'Reply by (from dispatch)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  reply: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'Reply of a reopened order by (from the reopening)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  reopen: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'The unit may return (退单) the order until (from dispatch)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  returnWindow: LimitDto;

  @ApiProperty({ type: LimitDto, description: 'All approved extensions together add at most this (working_days or working_hours)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitDto)
  extensionCap: LimitDto;
}

export class DeadlineRuleDto {
  @ApiProperty({ enum: REQUEST_TYPES, enumName: 'RequestType' })
  @IsIn(REQUEST_TYPES, { message: `requestType must be one of ${REQUEST_TYPES.join(', ')}` })
  requestType: RequestType;

  @ApiProperty({ enum: URGENCIES, enumName: 'Urgency' })
  @IsIn(URGENCIES, { message: `urgency must be one of ${URGENCIES.join(', ')}` })
  urgency: Urgency;

  @ApiProperty({ type: 'integer', nullable: true, required: false, description: 'A category this rule overrides the request type × urgency rule for; null or absent for the rule itself' })
  @IsOptional()
  @IsInt({ message: 'categoryId must be a whole number or null' })
  @Min(1)
  categoryId?: number | null;

  @ApiProperty({ type: LimitsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => LimitsDto)
  limits: LimitsDto;
}

/** PUT replaces the whole table: every request type × urgency needs its rule; category overrides are optional. */
export class ReplaceDeadlineRulesDto {
  @ApiProperty({ type: [DeadlineRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => DeadlineRuleDto)
  items: DeadlineRuleDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { PageQueryDto } from '../../common/pagination';
import { CALL_STATUSES, type CallStatus, MAX_PHONE_LENGTH } from '../cti.enums';

export class ListCallsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Calls that started at or after this instant' })
  @IsOptional()
  @IsStrictDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'Calls that started before this instant' })
  @IsOptional()
  @IsStrictDateTime()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Calls answered by this user' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'agentId must be a whole number' })
  @Min(1, { message: 'agentId must be a whole number' })
  agentId?: number;

  @ApiPropertyOptional({ enum: CALL_STATUSES, enumName: 'CallStatus' })
  @IsOptional()
  @IsIn(CALL_STATUSES, { message: `status must be one of ${CALL_STATUSES.join(', ')}` })
  status?: CallStatus;

  @ApiPropertyOptional({ maxLength: MAX_PHONE_LENGTH, example: '13800138000', description: 'Calls from or to this number (exact; spaces and dashes are ignored)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PHONE_LENGTH, { message: `phone must be at most ${MAX_PHONE_LENGTH} characters` })
  phone?: string;
}

export class CallBackListQueryDto extends PageQueryDto {}

export class LinkWorkOrderDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The work order registered during the call' })
  @IsInt({ message: 'workOrderId must be a whole number' })
  @Min(1, { message: 'workOrderId must be a whole number' })
  workOrderId: number;
}

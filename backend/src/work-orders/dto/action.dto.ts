import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import { INVALID_REASONS, RETURN_REASONS, type InvalidReason, type ReturnReason } from '../work-order.enums';

/** Every action names the version of the order it was decided on (optimistic locking). */
export class VersionedActionDto {
  @ApiProperty({ description: 'The version of the order the caller last read', minimum: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class NoteActionDto extends VersionedActionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ReasonActionDto extends VersionedActionDto {
  @ApiProperty({ minLength: 2, maxLength: 2000 })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}

export class ResolveDirectlyDto extends VersionedActionDto {
  @ApiProperty({ description: 'The answer given to the citizen on the call', maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  answer: string;
}

export class DispatchDto extends NoteActionDto {
  @ApiPropertyOptional({ description: "主办 lead unit; defaults to the category's default lead unit" })
  @IsOptional()
  @IsInt()
  @Min(1)
  leadUnitId?: number;

  @ApiPropertyOptional({ type: [Number], description: '协办 assisting units' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  assistingUnitIds?: number[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: DATE_TIME_EXAMPLE,
    description: "协办期限: when the assisting units' parts are due (RFC 3339 with an offset; in the future, not after the lead's reply deadline); defaults to one working day before the reply deadline",
  })
  @IsOptional()
  @IsStrictDateTime()
  assistDueAt?: string;
}

export class SubDispatchDto extends VersionedActionDto {
  @ApiProperty({ description: 'A unit below the lead unit' })
  @IsInt()
  @Min(1)
  unitId: number;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  instruction: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: DATE_TIME_EXAMPLE,
    description: "The child's reply deadline (RFC 3339 with an offset, years 2000–2100); defaults to, and may not pass, the parent's",
  })
  @IsOptional()
  @IsStrictDateTime()
  replyDueAt?: string;
}

export const CONTACT_METHODS = ['phone', 'sms', 'visit', 'other'] as const;

export class ContactDto extends VersionedActionDto {
  @ApiProperty({ enum: CONTACT_METHODS })
  @IsIn(CONTACT_METHODS)
  method: (typeof CONTACT_METHODS)[number];

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note: string;
}

export class ReplyDto extends VersionedActionDto {
  @ApiProperty({ maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  content: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  attachmentIds?: string[];
}

export class RequestExtensionDto extends ReasonActionDto {
  @ApiProperty({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'The reply deadline asked for (RFC 3339 with an offset, years 2000–2100)' })
  @IsStrictDateTime()
  requestedDueAt: string;
}

export class RemindDto extends VersionedActionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class SuperviseDto extends VersionedActionDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  instruction: string;

  @ApiProperty({ format: 'date-time', example: DATE_TIME_EXAMPLE, description: 'The new reply deadline (RFC 3339 with an offset, years 2000–2100; in the future)' })
  @IsStrictDateTime()
  replyDueAt: string;
}

export class TargetOrderDto extends NoteActionDto {
  @ApiProperty({ description: 'The other work order' })
  @IsInt()
  @Min(1)
  targetId: number;
}

export class InvalidateDto extends ReasonActionDto {
  @ApiProperty({ enum: INVALID_REASONS, enumName: 'InvalidReason', description: '无效工单: test call, prank, no content, duplicate call, other' })
  @IsIn(INVALID_REASONS, { message: `reasonCode must be one of: ${INVALID_REASONS.join(', ')}` })
  reasonCode: InvalidReason;
}

export class RecallDto extends VersionedActionDto {
  @ApiPropertyOptional({ minLength: 2, maxLength: 2000, description: 'Why the order is taken back; required once the unit has accepted it' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ description: '改派: dispatch at once to this lead unit (another than the current one); without it the order waits for dispatch' })
  @IsOptional()
  @IsInt()
  @Min(1)
  leadUnitId?: number;

  @ApiPropertyOptional({ type: [Number], description: '协办 assisting units for the new dispatch (only with leadUnitId)' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  assistingUnitIds?: number[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: DATE_TIME_EXAMPLE,
    description: "协办期限 for the new dispatch (only with leadUnitId): in the future, not after the new reply deadline; defaults to one working day before it",
  })
  @IsOptional()
  @IsStrictDateTime()
  assistDueAt?: string;
}

export class ReturnDto extends ReasonActionDto {
  @ApiProperty({ enum: RETURN_REASONS, enumName: 'ReturnReason', description: '退单原因, chosen from the list; `reason` explains it' })
  @IsIn(RETURN_REASONS, { message: `reasonCode must be one of: ${RETURN_REASONS.join(', ')}` })
  reasonCode: ReturnReason;

  @ApiPropertyOptional({ description: 'The unit the returning unit thinks is responsible' })
  @IsOptional()
  @IsInt()
  @Min(1)
  suggestedUnitId?: number;
}

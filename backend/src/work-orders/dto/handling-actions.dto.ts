import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { NoteActionDto, VersionedActionDto } from './action.dto';

/** 分派: the lead unit's admin gives the order to one of the unit's staff. */
export class AssignDto extends NoteActionDto {
  @ApiProperty({ description: 'An active handler (or unit_admin) of the lead unit' })
  @IsInt()
  @Min(1)
  assigneeId: number;
}

/** 协办意见: an assisting unit's part of the handling; submitting again replaces the text. */
export class AssistReplyDto extends VersionedActionDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  content: string;

  @ApiPropertyOptional({ type: [String], description: 'Uploaded files (POST /api/attachments) to bind to the order with the part' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  attachmentIds?: string[];
}

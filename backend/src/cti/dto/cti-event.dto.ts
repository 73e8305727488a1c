import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime } from '../../common/date-time';
import {
  CALL_CAUSES,
  CALL_DIRECTIONS,
  type CallCause,
  type CallDirection,
  CTI_EVENT_TYPES,
  type CtiEventType,
  MAX_CALL_ID_LENGTH,
  MAX_PHONE_LENGTH,
} from '../cti.enums';

/** Printable ASCII without spaces: what a SIP Call-ID, a number or an extension is made of. */
const TOKEN = /^[\x21-\x7e]+$/;

/** Required for the events named, optional (but checked when given) for the others. */
const RequiredFor = (...events: CtiEventType[]): PropertyDecorator =>
  ValidateIf((dto: CtiEventDto, value: unknown) => events.includes(dto.event) || value !== undefined);

export class CtiEventDto {
  @ApiProperty({ enum: CTI_EVENT_TYPES, enumName: 'CtiEventType', description: 'newCall, queued (the IVR put the caller in the queue), answer, hangup, survey (the key pressed after the call)' })
  @IsIn(CTI_EVENT_TYPES, { message: `event must be one of ${CTI_EVENT_TYPES.join(', ')}` })
  event: CtiEventType;

  @ApiProperty({ maxLength: MAX_CALL_ID_LENGTH, example: 'a84b4c76e66710@pbx.example', description: 'The SIP Call-ID or the PBX’s id of the call: every event of one call names the same' })
  @IsString({ message: 'callId must be text' })
  @MinLength(1, { message: 'callId must not be empty' })
  @MaxLength(MAX_CALL_ID_LENGTH, { message: `callId must be at most ${MAX_CALL_ID_LENGTH} characters` })
  @Matches(TOKEN, { message: 'callId must be printable ASCII without spaces' })
  callId: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: DATE_TIME_EXAMPLE,
    description: 'When it happened at the source (RFC 3339 with an offset). Always send it: a replayed event keeps its own time; without it the time of arrival is used',
  })
  @IsOptional()
  @IsStrictDateTime()
  at?: string;

  @ApiPropertyOptional({ maxLength: MAX_PHONE_LENGTH, example: '13800138000', description: 'The caller’s number; required for newCall (spaces and dashes are dropped)' })
  @RequiredFor('newCall')
  @IsString({ message: 'from must be text (the caller’s number), required for newCall' })
  @MinLength(1, { message: 'from must not be empty' })
  @MaxLength(MAX_PHONE_LENGTH, { message: `from must be at most ${MAX_PHONE_LENGTH} characters` })
  from?: string;

  @ApiPropertyOptional({ maxLength: MAX_PHONE_LENGTH, example: '12345', description: 'The number called' })
  @IsOptional()
  @IsString({ message: 'to must be text' })
  @MinLength(1, { message: 'to must not be empty' })
  @MaxLength(MAX_PHONE_LENGTH, { message: `to must be at most ${MAX_PHONE_LENGTH} characters` })
  to?: string;

  @ApiPropertyOptional({ enum: CALL_DIRECTIONS, enumName: 'CallDirection', default: 'inbound' })
  @IsOptional()
  @IsIn(CALL_DIRECTIONS, { message: `direction must be one of ${CALL_DIRECTIONS.join(', ')}` })
  direction?: CallDirection;

  @ApiPropertyOptional({ maxLength: 64, example: '8001', description: 'answer: the agent who answered, by extension (agent_phones) or username; required for answer' })
  @RequiredFor('answer')
  @IsString({ message: 'answeringAgent must be text (an extension or a username), required for answer' })
  @MinLength(1, { message: 'answeringAgent must not be empty' })
  @MaxLength(64, { message: 'answeringAgent must be at most 64 characters' })
  @Matches(TOKEN, { message: 'answeringAgent must be printable ASCII without spaces' })
  answeringAgent?: string;

  @ApiPropertyOptional({ enum: CALL_CAUSES, enumName: 'CallCause', description: 'hangup: why the call ended (default normalClearing)' })
  @IsOptional()
  @IsIn(CALL_CAUSES, { message: `cause must be one of ${CALL_CAUSES.join(', ')}` })
  cause?: CallCause;

  @ApiPropertyOptional({ example: '1', description: 'survey: the key pressed — 1 satisfied, 2 basically satisfied, 3 dissatisfied (another key is kept but rates nothing); required for survey' })
  @RequiredFor('survey')
  @IsString({ message: 'digit must be one key as text (0-9, * or #), required for survey' })
  @Matches(/^[0-9*#]$/, { message: 'digit must be one key: 0-9, * or #' })
  digit?: string;
}

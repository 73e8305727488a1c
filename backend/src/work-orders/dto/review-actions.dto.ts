import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { CALLBACK_ANSWERS, SATISFACTIONS, type CallbackAnswer, type Satisfaction } from '../work-order.enums';
import { SATISFACTION_SCHEMA } from './work-order-enum.schemas';
import { NoteActionDto, VersionedActionDto } from './action.dto';

/** The property must be absent when `other` is sent (the two are alternatives). */
function IsAbsentWith(other: keyof CallbackDto, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isAbsentWith',
    validator: {
      validate: (value: unknown, args) => value === undefined || (args?.object as CallbackDto)[other] === undefined,
      defaultMessage: () => message,
    },
  });
}

/** Satisfaction is asked unless the citizen declined the callback; then there is none to record. */
function IsAbsentWhenDeclined(): PropertyDecorator {
  return ValidateBy({
    name: 'isAbsentWhenDeclined',
    validator: {
      validate: (value: unknown, args) => value === undefined || (args?.object as CallbackDto).outcome !== 'declined',
      defaultMessage: () => 'satisfaction must not be sent when the outcome is declined (the citizen declined the callback)',
    },
  });
}

/**
 * 回访: what the citizen said. `outcome` is the current form; `resolved: true|false` (= outcome resolved / unresolved)
 * is still accepted from older clients. Exactly one of the two.
 */
export class CallbackDto extends NoteActionDto {
  @ApiPropertyOptional({
    enum: CALLBACK_ANSWERS,
    enumName: 'CallbackAnswer',
    description:
      'resolved: the citizen confirms the matter is resolved (closed; if dissatisfied, CALLBACK_DISSATISFIED decides: back to the unit or closed); ' +
      'unresolved: back to the unit (重办); declined: the citizen declines the callback (closed, no satisfaction). Send this or `resolved`.',
  })
  // Checked when sent, and when neither it nor `resolved` is sent (so the message names what is missing).
  @ValidateIf((dto: CallbackDto) => dto.outcome !== undefined || dto.resolved === undefined)
  @IsIn(CALLBACK_ANSWERS, { message: `outcome must be one of: ${CALLBACK_ANSWERS.join(', ')} (or send the older resolved: true|false)` })
  outcome?: CallbackAnswer;

  @ApiPropertyOptional({ deprecated: true, description: 'Older form of `outcome`: true = resolved, false = unresolved. Send this or `outcome`, not both.' })
  @ValidateIf((dto: CallbackDto) => dto.resolved !== undefined)
  @IsBoolean({ message: 'resolved must be true or false' })
  @IsAbsentWith('outcome', 'Send either outcome or resolved, not both (resolved is the older form of outcome)')
  resolved?: boolean;

  @ApiPropertyOptional({ ...SATISFACTION_SCHEMA, description: 'The citizen’s satisfaction; required unless the outcome is declined' })
  @ValidateIf((dto: CallbackDto) => dto.outcome !== 'declined' || dto.satisfaction !== undefined)
  @IsIn(SATISFACTIONS, { message: `satisfaction must be one of: ${SATISFACTIONS.join(', ')} (required unless the outcome is declined)` })
  @IsAbsentWhenDeclined()
  satisfaction?: Satisfaction;
}

/** 回访未接通: one attempt to reach the citizen that failed. */
export class CallbackAttemptDto extends VersionedActionDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'What happened (no answer, line busy, switched off…)' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note: string;
}

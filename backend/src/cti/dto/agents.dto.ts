import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { AGENT_SETTABLE_STATES, type AgentSettableState } from '../cti.enums';

export class SetAgentStateDto {
  @ApiProperty({ enum: AGENT_SETTABLE_STATES, enumName: 'AgentSettableState', description: 'ready: the ACD may offer calls; busy or away: it does not' })
  @IsIn(AGENT_SETTABLE_STATES, { message: `state must be one of ${AGENT_SETTABLE_STATES.join(', ')}` })
  state: AgentSettableState;
}

export const EXTENSION_PATTERN = /^\d{2,16}$/;
export const MIN_SIP_PASSWORD_LENGTH = 8;

export class PutAgentPhoneDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The agent (an active user with the role agent) the extension belongs to' })
  @IsInt({ message: 'userId must be a whole number' })
  @Min(1, { message: 'userId must be a whole number' })
  userId: number;

  @ApiPropertyOptional({
    minLength: MIN_SIP_PASSWORD_LENGTH,
    maxLength: 64,
    description: 'The SIP password the phone registers with; required for a new extension, optional when only the agent changes. Only HA1 = MD5(extension:realm:password) is stored',
  })
  @IsOptional()
  @IsString({ message: 'password must be text' })
  @MinLength(MIN_SIP_PASSWORD_LENGTH, { message: `password must be at least ${MIN_SIP_PASSWORD_LENGTH} characters` })
  @MaxLength(64, { message: 'password must be at most 64 characters' })
  password?: string;
}

import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { AcdService } from './acd.service';
import { AgentPhonesService } from './agent-phones.service';
import { CallsService } from './calls.service';
import { ACD_AGENT_ROLES, LIVE_VIEW_ROLES } from './cti.enums';
import { PutAgentPhoneDto, SetAgentStateDto } from './dto/agents.dto';
import { AgentPhoneResponse, AgentStateResponse, LiveViewResponse } from './dto/cti.response';

/** 坐席: the agents' own state, the supervisors' live view, the administrators' extensions (docs/cti.md). */
@ApiTags('cti')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('cti')
export class CtiAgentsController {
  constructor(
    private readonly acd: AcdService,
    private readonly calls: CallsService,
    private readonly phones: AgentPhonesService,
  ) {}

  @Get('agents/me/state')
  @Roles(...ACD_AGENT_ROLES)
  @ApiOperation({ summary: 'The caller’s own agent state and extension (offline until they set one)' })
  @ApiOkResponse({ type: AgentStateResponse })
  ownState(@CurrentUser() caller: AuthUser) {
    return this.acd.ownState(caller);
  }

  @Put('agents/me/state')
  @Roles(...ACD_AGENT_ROLES)
  @ApiOperation({
    summary: 'An agent sets themself ready (the ACD may offer calls), busy or away',
    description: '409 while a call rings at their phone or they are in a call; 422 for ready without an extension.',
  })
  @ApiOkResponse({ type: AgentStateResponse })
  @ApiErrorResponses(400, 409, 422)
  setOwnState(@CurrentUser() caller: AuthUser, @Body() dto: SetAgentStateDto) {
    return this.acd.setOwnState(caller, dto.state);
  }

  @Get('live')
  @Roles(...LIVE_VIEW_ROLES)
  @ApiOperation({ summary: 'Supervisors: calls in progress, the queue’s length and every agent’s state' })
  @ApiOkResponse({ type: LiveViewResponse })
  live() {
    return this.calls.live();
  }

  @Get('agent-phones')
  @Roles('admin')
  @ApiOperation({ summary: 'Administrators: every agent’s extension (never a password or its hash)' })
  @ApiOkResponse({ type: [AgentPhoneResponse] })
  listPhones() {
    return this.phones.list();
  }

  @Put('agent-phones/:extension')
  @Roles('admin')
  @ApiOperation({ summary: 'Administrators: give an agent an extension and its SIP password, or change them (audited; only HA1 is stored)' })
  @ApiOkResponse({ type: AgentPhoneResponse })
  @ApiErrorResponses(400, 409, 422)
  putPhone(@CurrentActor() actor: AuditActor, @Param('extension') extension: string, @Body() dto: PutAgentPhoneDto) {
    return this.phones.put(actor, extension, dto);
  }

  @Delete('agent-phones/:extension')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Administrators: remove an extension (its agent goes offline; audited)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(400, 404, 409)
  removePhone(@CurrentActor() actor: AuditActor, @Param('extension') extension: string) {
    return this.phones.remove(actor, extension);
  }
}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import { Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { DeadlineRulesService } from './deadline-rules.service';
import { ReplaceDeadlineRulesDto } from './dto/deadline-rules.dto';
import { DeadlineRulesResponse } from './dto/deadline-rules.response';

@ApiTags('deadline-rules')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('deadline-rules')
export class DeadlineRulesController {
  constructor(private readonly rules: DeadlineRulesService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The time-limit rules: per request type × urgency, and category overrides (administrators only)' })
  @ApiOkResponse({ type: DeadlineRulesResponse })
  list() {
    return this.rules.list();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the time-limit rules (administrators only; every change audited). New limits apply to deadlines computed from now on' })
  @ApiOkResponse({ type: DeadlineRulesResponse })
  @ApiErrorResponses(400, 422)
  replace(@CurrentActor() actor: AuditActor, @Body() dto: ReplaceDeadlineRulesDto) {
    return this.rules.replace(dto, actor);
  }
}

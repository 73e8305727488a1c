import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { type AuditActor, type ClientInfo, CurrentActor, CurrentClient } from './audit-actor';
import { AuditTrailService } from './audit-trail.service';
import { AuditEventListResponse } from './dto/audit-event.response';
import { ListAuditEventsQueryDto } from './dto/list-audit-events.dto';

/**
 * The audit trail for the auditor (安全审计员) only: administrators neither read nor change it. There is no route
 * that updates or deletes a row.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  @Get()
  @Roles('auditor')
  @ApiOperation({
    summary: '审计日志: the audit trail, newest first, filtered; page on with `cursor` = `nextCursor` (auditors only; the reading is recorded)',
  })
  @ApiOkResponse({ type: AuditEventListResponse })
  @ApiErrorResponses(400, 403)
  list(@CurrentActor() actor: AuditActor, @CurrentClient() client: ClientInfo, @Query() query: ListAuditEventsQueryDto) {
    return this.trail.list(query, actor, client);
  }
}

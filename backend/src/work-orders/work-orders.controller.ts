import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALLOWED_ATTACHMENT_TYPES } from '../attachments/attachment-types';
import { CurrentActor, type AuditActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { WORK_ORDER_ROLES } from '../users/role';
import { ListWorkOrdersQueryDto } from './dto/list-work-orders.dto';
import { RegisterWorkOrderDto } from './dto/register-work-order.dto';
import { RevealedContactResponse } from './dto/revealed-contact.response';
import { workOrderId as id } from './actions/action-routes';
import { RegisteredWorkOrderResponse, WorkOrderDetailResponse, WorkOrderPageResponse } from './dto/work-order.response';
import { WorkOrderAttachmentsService } from './work-order-attachments.service';
import { WorkOrderContactService } from './work-order-contact.service';
import { WorkOrdersService } from './work-orders.service';
import { WorkOrderListService } from './list/work-order-list.service';



/** A download is sent with the type the file was stored with, which is always one of the accepted types. */
const ATTACHMENT_CONTENT = Object.fromEntries(
  [...new Set(Object.values(ALLOWED_ATTACHMENT_TYPES).flat())].map((mimeType) => [mimeType, { schema: { type: 'string', format: 'binary' } }]),
);

@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
// Every role but the auditor, who reads only the audit trail; a route's own @Roles narrows this further.
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class WorkOrdersController {
  constructor(
    private readonly workOrders: WorkOrdersService,
    private readonly lists: WorkOrderListService,
    private readonly files: WorkOrderAttachmentsService,
    private readonly contacts: WorkOrderContactService,
  ) {}

  @Post()
  @Roles('agent', 'dispatcher', 'supervisor')
  @ApiOperation({ summary: '受理/登记: register a citizen request as a new work order' })
  @ApiCreatedResponse({ type: RegisteredWorkOrderResponse })
  @ApiErrorResponses(400, 403, 413, 422)
  register(@CurrentUser() caller: AuthUser, @Body() dto: RegisterWorkOrderDto) {
    return this.workOrders.register(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List work orders the caller may see, filtered, sorted and paged: keyset paging with cursor/nextCursor (numbered pages for the first 2,000 orders), totals exact up to 10,000 (pageSize ≤ 100)' })
  @ApiOkResponse({ type: WorkOrderPageResponse })
  @ApiErrorResponses(400, 403, 422, 503)
  list(@CurrentUser() caller: AuthUser, @Query() query: ListWorkOrdersQueryDto) {
    return this.lists.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One work order with its timeline and the actions the caller may take now' })
  @ApiOkResponse({ type: WorkOrderDetailResponse })
  @ApiErrorResponses(400, 404)
  detail(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number) {
    return this.workOrders.detail(caller, workOrderId);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download an attachment of the work order' })
  @ApiOkResponse({
    description: 'The file, sent with the MIME type it was stored with',
    content: ATTACHMENT_CONTENT,
    headers: {
      'Content-Disposition': { description: "attachment; filename*=UTF-8''<the file name, percent-encoded>", schema: { type: 'string' } },
      'Content-Length': { schema: { type: 'integer' } },
    },
  })
  @ApiErrorResponses(400, 404)
  async download(
    @CurrentUser() caller: AuthUser,
    @Param('id', id) workOrderId: number,
    @Param('attachmentId') attachmentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { attachment, stream } = await this.files.open(caller, workOrderId, attachmentId);
    response.setHeader('Content-Type', attachment.mimeType);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    return new StreamableFile(stream, { length: attachment.size });
  }

  @Post(':id/reveal-contact')
  @HttpCode(200)
  @ApiOperation({
    summary: '先行联系: the citizen’s full name and phone, for staff of the lead unit of an open, non-confidential order; recorded in the timeline',
  })
  @ApiOkResponse({ type: RevealedContactResponse })
  @ApiErrorResponses(400, 403, 404, 409)
  revealContact(@CurrentUser() caller: AuthUser, @CurrentActor() actor: AuditActor, @Param('id', id) workOrderId: number) {
    return this.contacts.reveal(caller, actor, workOrderId);
  }
}

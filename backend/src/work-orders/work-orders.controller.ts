import { applyDecorators, BadRequestException, Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ALLOWED_ATTACHMENT_TYPES } from '../attachments/attachment-types';
import { CurrentActor, type AuditActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses, type ApiErrorStatus } from '../common/api-error-responses';
import {
  CallbackDto,
  ContactDto,
  DispatchDto,
  NoteActionDto,
  ReasonActionDto,
  RemindDto,
  ReplyDto,
  RequestExtensionDto,
  ResolveDirectlyDto,
  SubDispatchDto,
  SuperviseDto,
  TargetOrderDto,
} from './dto/action.dto';
import { ListWorkOrdersQueryDto } from './dto/list-work-orders.dto';
import { RegisterWorkOrderDto } from './dto/register-work-order.dto';
import { RevealedContactResponse } from './dto/revealed-contact.response';
import { WorkOrderDetailResponse, WorkOrderPageResponse } from './dto/work-order.response';
import { WorkOrderActionsService } from './work-order-actions.service';
import { WorkOrderAttachmentsService } from './work-order-attachments.service';
import { WorkOrderContactService } from './work-order-contact.service';
import { WorkOrdersService } from './work-orders.service';

const id = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The work-order id must be a whole number') });

/** Every lifecycle action answers the order afterwards, or 409 (stale version, wrong status) / 403 (wrong role or unit) with details. */
const ApiActionResponses = (...alsoAnswers: ApiErrorStatus[]) =>
  applyDecorators(
    ApiOkResponse({ type: WorkOrderDetailResponse, description: 'The order after the action, as the caller may see it now' }),
    ApiErrorResponses(400, 403, 404, 409, 413, ...alsoAnswers),
  );

/** A download is sent with the type the file was stored with, which is always one of the accepted types. */
const ATTACHMENT_CONTENT = Object.fromEntries(
  [...new Set(Object.values(ALLOWED_ATTACHMENT_TYPES).flat())].map((mimeType) => [mimeType, { schema: { type: 'string', format: 'binary' } }]),
);

@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Controller('work-orders')
export class WorkOrdersController {
  constructor(
    private readonly workOrders: WorkOrdersService,
    private readonly actions: WorkOrderActionsService,
    private readonly files: WorkOrderAttachmentsService,
    private readonly contacts: WorkOrderContactService,
  ) {}

  @Post()
  @Roles('agent', 'dispatcher', 'supervisor')
  @ApiOperation({ summary: '受理/登记: register a citizen request as a new work order' })
  @ApiCreatedResponse({ type: WorkOrderDetailResponse })
  @ApiErrorResponses(400, 403, 413, 422)
  register(@CurrentUser() caller: AuthUser, @Body() dto: RegisterWorkOrderDto) {
    return this.workOrders.register(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List work orders the caller may see, filtered, sorted and paged (pageSize ≤ 100)' })
  @ApiOkResponse({ type: WorkOrderPageResponse })
  @ApiErrorResponses(400, 403, 422)
  list(@CurrentUser() caller: AuthUser, @Query() query: ListWorkOrdersQueryDto) {
    return this.workOrders.list(caller, query);
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

  @Post(':id/resolve-directly')
  @HttpCode(200)
  @ApiOperation({ summary: '直办: answer on the call and close without dispatch' })
  @ApiActionResponses()
  resolveDirectly(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ResolveDirectlyDto) {
    return this.actions.resolveDirectly(caller, workOrderId, dto);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: '派单: send to a lead unit (主办) and assisting units (协办)' })
  @ApiActionResponses(422)
  dispatch(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: DispatchDto) {
    return this.actions.dispatch(caller, workOrderId, dto);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: '签收: the lead unit acknowledges the order' })
  @ApiActionResponses()
  accept(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.accept(caller, workOrderId, dto);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退单: the lead unit asks to send the order back, with a reason' })
  @ApiActionResponses()
  requestReturn(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.requestReturn(caller, workOrderId, dto);
  }

  @Post(':id/approve-return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a return: back to dispatch (child orders: cancelled, back to the parent unit)' })
  @ApiActionResponses()
  approveReturn(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.approveReturn(caller, workOrderId, dto);
  }

  @Post(':id/reject-return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a return: the unit must handle the order' })
  @ApiActionResponses()
  rejectReturn(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.rejectReturn(caller, workOrderId, dto);
  }

  @Post(':id/sub-dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: '下派: pass to a subordinate unit as a child order; the parent reply waits for it' })
  @ApiActionResponses(422)
  subDispatch(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: SubDispatchDto) {
    return this.actions.subDispatch(caller, workOrderId, dto);
  }

  @Post(':id/contact')
  @HttpCode(200)
  @ApiOperation({ summary: '先行联系: record contact with the citizen' })
  @ApiActionResponses()
  contact(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ContactDto) {
    return this.actions.contact(caller, workOrderId, dto);
  }

  @Post(':id/reply')
  @HttpCode(200)
  @ApiOperation({ summary: '答复: the unit replies with its handling result' })
  @ApiActionResponses(422)
  reply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReplyDto) {
    return this.actions.reply(caller, workOrderId, dto);
  }

  @Post(':id/approve-reply')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过: the reply is accepted (→ callback; child orders close)' })
  @ApiActionResponses()
  approveReply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.approveReply(caller, workOrderId, dto);
  }

  @Post(':id/reject-reply')
  @HttpCode(200)
  @ApiOperation({ summary: '审核退回: the reply goes back to the unit, with a reason' })
  @ApiActionResponses()
  rejectReply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.rejectReply(caller, workOrderId, dto);
  }

  @Post(':id/callback')
  @HttpCode(200)
  @ApiOperation({ summary: '回访: record the citizen’s verdict; resolved → closed, unresolved → reopened to the unit' })
  @ApiActionResponses()
  callback(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: CallbackDto) {
    return this.actions.callback(caller, workOrderId, dto);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: '重办: reopen a closed order' })
  @ApiActionResponses()
  reopen(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.reopen(caller, workOrderId, dto);
  }

  @Post(':id/request-extension')
  @HttpCode(200)
  @ApiOperation({ summary: '延期申请: ask for a later reply deadline, before the current one passes' })
  @ApiActionResponses(422)
  requestExtension(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: RequestExtensionDto) {
    return this.actions.requestExtension(caller, workOrderId, dto);
  }

  @Post(':id/approve-extension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the pending extension request' })
  @ApiActionResponses(422)
  approveExtension(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.approveExtension(caller, workOrderId, dto);
  }

  @Post(':id/refuse-extension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse the pending extension request, with a reason' })
  @ApiActionResponses()
  refuseExtension(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.refuseExtension(caller, workOrderId, dto);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: '挂起: stop the clock, with a reason' })
  @ApiActionResponses()
  suspend(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.suspend(caller, workOrderId, dto);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a suspended order; its deadlines move on by the suspended time' })
  @ApiActionResponses()
  resume(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.resume(caller, workOrderId, dto);
  }

  @Post(':id/remind')
  @HttpCode(200)
  @ApiOperation({ summary: '催办: nudge the handling unit' })
  @ApiActionResponses()
  remind(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: RemindDto) {
    return this.actions.remind(caller, workOrderId, dto);
  }

  @Post(':id/supervise')
  @HttpCode(200)
  @ApiOperation({ summary: '督办: formal escalation with an instruction and a new deadline' })
  @ApiActionResponses(422)
  supervise(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: SuperviseDto) {
    return this.actions.supervise(caller, workOrderId, dto);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: '合并: fold this order (a repeat) into another open order; reversible' })
  @ApiActionResponses(422)
  merge(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: TargetOrderDto) {
    return this.actions.merge(caller, workOrderId, dto);
  }

  @Post(':id/unmerge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a merge: the order returns to the status it had' })
  @ApiActionResponses()
  unmerge(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.unmerge(caller, workOrderId, dto);
  }

  @Post(':id/link')
  @HttpCode(200)
  @ApiOperation({ summary: '关联: mark another order as related' })
  @ApiActionResponses(422)
  link(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: TargetOrderDto) {
    return this.actions.link(caller, workOrderId, dto);
  }
}

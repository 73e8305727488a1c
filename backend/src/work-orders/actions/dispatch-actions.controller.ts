import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { WORK_ORDER_ROLES } from '../../users/role';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { InvalidateDto, RecallDto, ReturnDto, DispatchDto, NoteActionDto, ReasonActionDto, ResolveDirectlyDto } from '../dto/action.dto';
import { DispatchActions } from './dispatch-actions.service';

/** Intake and dispatch (受理, 无效, 派单, 改派) and returns (退单): each `POST /api/work-orders/:id/<action>` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class DispatchActionsController {
  constructor(private readonly actions: DispatchActions) {}

  @Post(':id/resolve-directly')
  @HttpCode(200)
  @ApiOperation({ summary: '直办: answer on the call and close without dispatch' })
  @ApiActionResponses()
  resolveDirectly(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ResolveDirectlyDto) {
    return this.actions.resolveDirectly(caller, workOrderId, dto);
  }

  @Post(':id/invalidate')
  @HttpCode(200)
  @ApiOperation({ summary: '无效工单: mark a registered order invalid (test call, prank, no content, duplicate call), with a reason' })
  @ApiActionResponses()
  invalidate(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: InvalidateDto) {
    return this.actions.invalidate(caller, workOrderId, dto);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an invalid order (supervisor): it waits for dispatch again' })
  @ApiActionResponses()
  restore(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.restore(caller, workOrderId, dto);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: '派单: send to a lead unit (主办) and assisting units (协办)' })
  @ApiActionResponses(422)
  dispatch(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: DispatchDto) {
    return this.actions.dispatch(caller, workOrderId, dto);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @ApiOperation({
    summary: '改派: take the order back from its lead unit (a reason once accepted); with leadUnitId it is dispatched there at once, otherwise it waits for dispatch',
  })
  @ApiActionResponses(422)
  recall(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: RecallDto) {
    return this.actions.recall(caller, workOrderId, dto);
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
  @ApiOperation({ summary: '退单: the lead unit asks to send the order back: a reason from the list, an explanation, and optionally the unit it thinks is responsible' })
  @ApiActionResponses(422)
  requestReturn(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReturnDto) {
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
}

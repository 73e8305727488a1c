import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { WORK_ORDER_ROLES } from '../../users/role';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { NoteActionDto, ReasonActionDto, RemindDto, RequestExtensionDto, SuperviseDto } from '../dto/action.dto';
import { ExtensionActions } from './extension-actions.service';

/** Extension, suspension, reminders and supervision (延期, 挂起, 催办, 督办): each `POST /api/work-orders/:id/<action>` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class ExtensionActionsController {
  constructor(private readonly actions: ExtensionActions) {}

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
}

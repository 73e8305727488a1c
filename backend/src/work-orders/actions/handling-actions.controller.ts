import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { WORK_ORDER_ROLES } from '../../users/role';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { ContactDto, NoteActionDto, ReasonActionDto, ReplyDto, SubDispatchDto } from '../dto/action.dto';
import { AssignDto, AssistReplyDto } from '../dto/handling-actions.dto';
import { HandlingActions } from './handling-actions.service';

/** Handling inside the units (分派, 下派, 先行联系, 协办, 答复, 领导审签): each `POST /api/work-orders/:id/<action>` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class HandlingActionsController {
  constructor(private readonly actions: HandlingActions) {}

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: "分派: the lead unit's admin assigns the order to one of the unit's handlers (or reassigns it)" })
  @ApiActionResponses(422)
  assign(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: AssignDto) {
    return this.actions.assign(caller, workOrderId, dto);
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

  @Post(':id/unit-approve-reply')
  @HttpCode(200)
  @ApiOperation({ summary: "领导审签: the lead unit's admin approves a handler's reply; it goes to the center's review" })
  @ApiActionResponses()
  unitApproveReply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.unitApproveReply(caller, workOrderId, dto);
  }

  @Post(':id/unit-reject-reply')
  @HttpCode(200)
  @ApiOperation({ summary: "领导审签: the lead unit's admin sends a handler's reply back, with the reason" })
  @ApiActionResponses()
  unitRejectReply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: ReasonActionDto) {
    return this.actions.unitRejectReply(caller, workOrderId, dto);
  }

  @Post(':id/assist-reply')
  @HttpCode(200)
  @ApiOperation({ summary: '协办: an assisting unit submits (or resubmits) its part' })
  @ApiActionResponses(422)
  assistReply(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: AssistReplyDto) {
    return this.actions.assistReply(caller, workOrderId, dto);
  }
}

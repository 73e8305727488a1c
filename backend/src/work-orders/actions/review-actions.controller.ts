import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { WORK_ORDER_ROLES } from '../../users/role';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { NoteActionDto, ReasonActionDto } from '../dto/action.dto';
import { CallbackAttemptDto, CallbackDto } from '../dto/review-actions.dto';
import { ReviewActions } from './review-actions.service';

/** Review, callback and reopening (审核, 回访, 重办): each `POST /api/work-orders/:id/<action>` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class ReviewActionsController {
  constructor(private readonly actions: ReviewActions) {}

  @Post(':id/approve-reply')
  @HttpCode(200)
  @ApiOperation({
    summary: '审核通过: the reply is accepted (→ callback; child orders and types that need no callback close)',
    description: 'Orders merged into this one move on with it (close-with-target): each takes the reply and waits for its own callback.',
  })
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

  @Post(':id/callback-attempt')
  @HttpCode(200)
  @ApiOperation({
    summary: '回访未接通: the citizen was not reached',
    description:
      'Recorded on the timeline. It counts towards "unreachable" when it is the first or comes at least CALLBACK_ATTEMPT_GAP after the last counted one; ' +
      'the counted attempt that reaches CALLBACK_UNREACHABLE_ATTEMPTS closes the order (outcome unreachable).',
  })
  @ApiActionResponses()
  callbackAttempt(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: CallbackAttemptDto) {
    return this.actions.callbackAttempt(caller, workOrderId, dto);
  }

  @Post(':id/callback')
  @HttpCode(200)
  @ApiOperation({
    summary: '回访: record the citizen’s answer',
    description:
      'resolved → closed; resolved but dissatisfied → back to the unit or closed (CALLBACK_DISSATISFIED); unresolved → back to the unit (重办); declined → closed.',
  })
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
}

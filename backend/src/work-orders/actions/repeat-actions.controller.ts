import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { SimilarOrderResponse } from '../../repeat-detection/dto/similar-order.response';
import { SimilarDraftDto } from '../../repeat-detection/dto/similar-draft.dto';
import { SimilarOrdersQueryDto } from '../../repeat-detection/dto/similar-orders.dto';
import { WORK_ORDER_ROLES } from '../../users/role';
import { NoteActionDto, TargetOrderDto } from '../dto/action.dto';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { RepeatActions } from './repeat-actions.service';

/** 重复件: marking an order as a repeat (each `POST /api/work-orders/:id/<action>` with the version read), and the detector's candidates. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class RepeatActionsController {
  constructor(private readonly actions: RepeatActions) {}

  @Post('similar-drafts')
  @HttpCode(200)
  @Roles('agent', 'dispatcher', 'supervisor')
  @ApiOperation({ summary: '重复件 / 多人反映 while registering: orders about the same matter as a form not yet registered, best first; only orders the caller may open' })
  @ApiOkResponse({ type: [SimilarOrderResponse] })
  @ApiErrorResponses(400, 403, 422)
  similarToDraft(@CurrentUser() caller: AuthUser, @Body() dto: SimilarDraftDto, @Query() query: SimilarOrdersQueryDto) {
    return this.actions.similarToDraft(caller, dto, query.limit);
  }

  @Get(':id/similar')
  @ApiOperation({ summary: '重复件 / 多人反映: orders about the same matter as this one, best first, as at registration; only orders the caller may open' })
  @ApiOkResponse({ type: [SimilarOrderResponse] })
  @ApiErrorResponses(400, 403, 404)
  similar(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Query() query: SimilarOrdersQueryDto) {
    return this.actions.similar(caller, workOrderId, query.limit);
  }

  @Post(':id/mark-repeat')
  @HttpCode(200)
  @ApiOperation({ summary: '重复件: mark this order as a repeat of an earlier one (of its original, when the target is itself a repeat); reversible' })
  @ApiActionResponses(422)
  markRepeat(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: TargetOrderDto) {
    return this.actions.markRepeat(caller, workOrderId, dto);
  }

  @Post(':id/unmark-repeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the repeat mark back: the original’s repeat count goes down' })
  @ApiActionResponses()
  unmarkRepeat(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: NoteActionDto) {
    return this.actions.unmarkRepeat(caller, workOrderId, dto);
  }
}

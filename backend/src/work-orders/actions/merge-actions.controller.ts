import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { WORK_ORDER_ROLES } from '../../users/role';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { NoteActionDto, TargetOrderDto } from '../dto/action.dto';
import { MergeActions } from './merge-actions.service';

/** Merging and linking (合并, 关联): each `POST /api/work-orders/:id/<action>` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class MergeActionsController {
  constructor(private readonly actions: MergeActions) {}

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

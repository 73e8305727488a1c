import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { WORK_ORDER_ROLES } from '../../users/role';
import { RuleDto } from '../dto/rule.dto';
import { ApiActionResponses, workOrderId as id } from './action-routes';
import { RulingActions } from './ruling-actions.service';

/** 裁定: a supervisor rules a disputed order (争议件) to its lead unit, `POST /api/work-orders/:id/rule` with the version read. */
@ApiTags('work-orders')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Roles(...WORK_ORDER_ROLES)
@Controller('work-orders')
export class RulingActionsController {
  constructor(private readonly actions: RulingActions) {}

  @Post(':id/rule')
  @HttpCode(200)
  @ApiOperation({
    summary: '裁定: a supervisor rules a disputed order to a lead unit (and assisting units), with a reason',
    description:
      'Only on a disputed top-level order (returned repeatedly or bounced between units, see GET /api/shirking) in registered, dispatched, return_requested or processing. The order is dispatched afresh to the ruled unit (every limit starts over; a waiting return is settled), and that unit cannot return it any more (its `return` answers 409 naming the ruling).',
  })
  @ApiActionResponses(422)
  rule(@CurrentUser() caller: AuthUser, @Param('id', id) workOrderId: number, @Body() dto: RuleDto) {
    return this.actions.rule(caller, workOrderId, dto);
  }
}

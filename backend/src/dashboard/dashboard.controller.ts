import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { DashboardService } from './dashboard.service';
import { DashboardResponse } from './dto/dashboard.response';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly service: DashboardService) {}

  @Get()
  @Roles('supervisor', 'admin', 'dispatcher', 'unit_admin')
  @ApiOperation({
    summary: '督办看板: today’s intake, open / overdue / warned orders, the 30-day trend, top categories and the unit table',
    description:
      'Days are the center’s (CENTER_TIMEZONE, Asia/Shanghai). Center staff see every order; a unit_admin the orders led by their unit and the units below it. Every figure carries the GET /api/work-orders query that lists the orders it counts.',
  })
  @ApiOkResponse({ type: DashboardResponse })
  @ApiErrorResponses(401, 403, 503)
  dashboard(@CurrentUser() caller: AuthUser) {
    return this.service.dashboard(caller);
  }
}

import { BadRequestException, Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { WORK_ORDER_ROLES } from '../users/role';
import { HotspotPageResponse, HotspotResponse } from './dto/hotspot.response';
import { ListHotspotsQueryDto } from './dto/list-hotspots.dto';
import { HotspotsService } from './hotspots.service';

const hotspotId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The hotspot id must be a whole number') });

/** 热点 (多人反映): matters several citizens reported at one place. Scoped like the work-order lists. */
@ApiTags('hotspots')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Roles(...WORK_ORDER_ROLES)
@Controller('hotspots')
export class HotspotsController {
  constructor(private readonly hotspots: HotspotsService) {}

  @Get()
  @ApiOperation({
    summary: 'Hotspots, largest and fastest growing first, with their newest orders; a unit sees those with an order of its own or of a unit below it',
  })
  @ApiOkResponse({ type: HotspotPageResponse })
  @ApiErrorResponses(400, 422)
  list(@CurrentUser() caller: AuthUser, @Query() query: ListHotspotsQueryDto) {
    return this.hotspots.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One hotspot with all its orders' })
  @ApiOkResponse({ type: HotspotResponse })
  @ApiErrorResponses(400, 404)
  detail(@CurrentUser() caller: AuthUser, @Param('id', hotspotId) id: number) {
    return this.hotspots.detail(caller, id);
  }
}

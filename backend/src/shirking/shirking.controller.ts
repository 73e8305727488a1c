import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, BadRequestException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { ResolveFlagDto, ShirkingPeriodQueryDto, ShirkingQueueQueryDto } from './dto/shirking-query.dto';
import { ShirkingFlagResponse, ShirkingQueueResponse, ShirkingUnitsResponse } from './dto/shirking.response';
import { ShirkingService } from './shirking.service';

const flagId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The flag id must be a whole number') });

/** 推诿扯皮: the supervisors' queue of flagged orders and the per-unit figures (docs/shirking.md). Center staff only. */
@ApiTags('shirking')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('shirking')
export class ShirkingController {
  constructor(private readonly service: ShirkingService) {}

  @Get()
  @Roles('supervisor', 'admin', 'dispatcher')
  @ApiOperation({
    summary: '推诿扯皮: the queue of orders the shirking rules flagged, the most recently flagged first, each with its flags and their reasons',
    description: 'Filters: a unit (and the units below it) the flags are about, a rule, a period of flaggedAt, disputed orders only, open (unresolved) flags only. Unit staff get 403.',
  })
  @ApiOkResponse({ type: ShirkingQueueResponse })
  @ApiErrorResponses(400, 422, 503)
  queue(@CurrentUser() caller: AuthUser, @Query() query: ShirkingQueueQueryDto) {
    return this.service.queue(caller, query);
  }

  @Get('units')
  @Roles('supervisor', 'admin', 'dispatcher')
  @ApiOperation({
    summary: 'Per unit in a period (default: the last 30 days, at most 366): flagged orders, flags by rule, returns, bounces and the return rate',
  })
  @ApiOkResponse({ type: ShirkingUnitsResponse })
  @ApiErrorResponses(400, 422, 503)
  units(@CurrentUser() caller: AuthUser, @Query() query: ShirkingPeriodQueryDto) {
    return this.service.unitCounts(caller, query);
  }

  @Post('flags/:id/resolve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'A supervisor marks a flag as dealt with, with an optional note; it opens again if its rule later finds more' })
  @ApiOkResponse({ type: ShirkingFlagResponse })
  @ApiErrorResponses(400, 404, 409)
  resolve(@CurrentUser() caller: AuthUser, @Param('id', flagId) id: number, @Body() dto: ResolveFlagDto) {
    return this.service.resolve(caller, id, dto);
  }
}

import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import { Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { CalendarOverridesService } from './calendar-overrides.service';
import { CalendarService } from './calendar.service';
import { CalendarDaysQueryDto, CreateOverrideDto, DueQueryDto, ListOverridesQueryDto, UpdateOverrideDto } from './dto/calendar.dto';
import { CalendarDaysResponse, CalendarOverrideListResponse, CalendarOverrideResponse, DueResponse } from './dto/calendar.response';

const id = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The override id must be a whole number') });

@ApiTags('calendar')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly overrides: CalendarOverridesService,
  ) {}

  @Get('days')
  @ApiOperation({ summary: 'The kind of every day from `from` to `to` (both included, at most 400): workday, weekend, holiday or makeup_workday (调休上班)' })
  @ApiOkResponse({ type: CalendarDaysResponse })
  @ApiErrorResponses(400)
  days(@Query() query: CalendarDaysQueryDto) {
    return this.calendar.days(query);
  }

  @Get('due')
  @ApiOperation({ summary: 'The due instant of `amount` working days, working hours or calendar hours from `start` (docs/calendar.md)' })
  @ApiOkResponse({ type: DueResponse })
  @ApiErrorResponses(400)
  due(@Query() query: DueQueryDto) {
    return this.calendar.due(query);
  }

  @Get('overrides')
  @Roles('admin')
  @ApiOperation({ summary: 'The admins’ calendar overrides, by date (administrators only)' })
  @ApiOkResponse({ type: CalendarOverrideListResponse })
  @ApiErrorResponses(400, 403)
  list(@Query() query: ListOverridesQueryDto) {
    return this.overrides.list(query);
  }

  @Post('overrides')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the kind of one date, winning over the built-in holiday data (administrators only; audited)' })
  @ApiCreatedResponse({ type: CalendarOverrideResponse })
  @ApiErrorResponses(400, 403, 409, 422)
  create(@CurrentActor() actor: AuditActor, @Body() dto: CreateOverrideDto) {
    return this.overrides.create(dto, actor);
  }

  @Patch('overrides/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change an override’s kind, name or note (administrators only; audited)' })
  @ApiOkResponse({ type: CalendarOverrideResponse })
  @ApiErrorResponses(400, 403, 404, 409, 422)
  update(@CurrentActor() actor: AuditActor, @Param('id', id) overrideId: number, @Body() dto: UpdateOverrideDto) {
    return this.overrides.update(overrideId, dto, actor);
  }

  @Delete('overrides/:id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an override: the date falls back to the built-in data (administrators only; audited)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(400, 403, 404, 409)
  remove(@CurrentActor() actor: AuditActor, @Param('id', id) overrideId: number) {
    return this.overrides.remove(overrideId, actor);
  }
}

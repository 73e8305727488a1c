import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { CreateUnitDto, UpdateUnitDto } from './dto/unit-admin.dto';
import { UnitResponse, UnitTreeNodeResponse } from './dto/unit.response';
import { UnitsAdminService } from './units-admin.service';
import { UnitsService } from './units.service';

const unitId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The unit id must be a whole number') });

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly admin: UnitsAdminService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The unit tree (center staff: all of it; unit staff: their own unit and below)' })
  @ApiOkResponse({ type: [UnitTreeNodeResponse], description: 'The root units, each with its subtree' })
  @ApiErrorResponses(401)
  tree(@CurrentUser() caller: AuthUser) {
    return this.units.visibleTree(caller);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a unit under an active unit (administrators only; audited)' })
  @ApiCreatedResponse({ type: UnitResponse })
  @ApiErrorResponses(400, 401, 403, 409, 422)
  create(@CurrentActor() actor: AuditActor, @Body() dto: CreateUnitDto) {
    return this.admin.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Rename, move, deactivate or reactivate a unit, or set 领导审签 (administrators only; audited)',
    description: 'Units are never deleted. Deactivating a unit that still leads open work orders answers 409 with their number in details.openWorkOrders.',
  })
  @ApiOkResponse({ type: UnitResponse })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422)
  update(@CurrentActor() actor: AuditActor, @Param('id', unitId) id: number, @Body() dto: UpdateUnitDto) {
    return this.admin.update(id, dto, actor);
  }
}

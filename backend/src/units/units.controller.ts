import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { UnitTreeNodeResponse } from './dto/unit.response';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOperation({ summary: 'The unit tree (center staff: all of it; unit staff: their own unit and below)' })
  @ApiOkResponse({ type: [UnitTreeNodeResponse], description: 'The root units, each with its subtree' })
  @ApiErrorResponses(401)
  tree(@CurrentUser() caller: AuthUser) {
    return this.units.visibleTree(caller);
  }
}

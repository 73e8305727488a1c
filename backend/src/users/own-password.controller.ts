import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, type ClientInfo, CurrentActor, CurrentClient } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { AllowedBeforePasswordChange, CurrentUser } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { ChangePasswordDto } from './dto/user-admin.dto';
import { UsersAdminService } from './users-admin.service';

/** The caller's own password; the one route (with GET /api/me and logout) open to an account that must change its password. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class OwnPasswordController {
  constructor(private readonly admin: UsersAdminService) {}

  @Post('change-password')
  @HttpCode(204)
  @AllowedBeforePasswordChange()
  @ApiOperation({
    summary: 'Change the caller’s password (audited)',
    description: 'Also replaces a one-time password. Every session of the caller ends, this one included: log in again with the new password.',
  })
  @ApiNoContentResponse({ description: 'The password is changed; every token of the caller is revoked' })
  @ApiErrorResponses(400, 401, 422)
  async change(@CurrentUser() caller: AuthUser, @CurrentActor() actor: AuditActor, @CurrentClient() client: ClientInfo, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.admin.changeOwnPassword(caller, dto, actor, client);
  }
}

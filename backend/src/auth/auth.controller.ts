import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ClientInfo, CurrentClient } from '../audit/audit-actor';
import { ApiErrorResponses } from '../common/api-error-responses';
import { UserResponse } from '../users/dto/user.response';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { AllowedBeforePasswordChange, CurrentUser, Public } from './decorators';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { AuthTokensResponse } from './dto/token.response';
import { LoginRateLimited } from './throttling/rate-limits';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @LoginRateLimited()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in; 5 wrong passwords lock the account for 15 minutes (423)',
    description: 'Also limited per client IP and per username (429 with Retry-After). Unknown usernames are answered exactly like wrong passwords.',
  })
  @ApiOkResponse({ type: AuthTokensResponse })
  @ApiErrorResponses(400, 401, 413, 423, 429)
  login(@Body() dto: LoginDto, @CurrentClient() client: ClientInfo) {
    return this.auth.login(dto.username, dto.password, client);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new token pair',
    description: 'Each refresh token works once. Presenting a used one again revokes every token of that login (401).',
  })
  @ApiOkResponse({ type: AuthTokensResponse })
  @ApiErrorResponses(400, 401, 413, 429)
  refresh(@Body() dto: RefreshDto, @CurrentClient() client: ClientInfo) {
    return this.auth.refresh(dto.refreshToken, client);
  }

  @Post('auth/logout')
  @AllowedBeforePasswordChange()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of the caller: access and refresh tokens stop working, open sockets are closed' })
  @ApiNoContentResponse({ description: 'Every token of the caller is revoked' })
  @ApiErrorResponses(401)
  async logout(@CurrentUser() user: AuthUser, @CurrentClient() client: ClientInfo): Promise<void> {
    await this.auth.logout(user, client);
  }

  @Get('me')
  @AllowedBeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrorResponses(401)
  me(@CurrentUser() user: AuthUser) {
    return this.users.getView(user.id);
  }
}

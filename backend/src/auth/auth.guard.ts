import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../users/role';
import { UsersService } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import { TokenService } from './token.service';

/**
 * The one global guard: every route needs a valid access token unless marked @Public(); @Roles() narrows it.
 * The user is re-read so that a deactivated account stops working at once. Per-record access is the services' job.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) {
      throw new UnauthorizedException('Log in first: send the access token as "Authorization: Bearer <token>"');
    }
    const payload = this.tokens.verifyAccess(header.slice('Bearer '.length).trim());
    const user = await this.users.findActiveAuthUser(payload.sub);
    if (!user) throw new UnauthorizedException('The account no longer exists or has been deactivated');
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}

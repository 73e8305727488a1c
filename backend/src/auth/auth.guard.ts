import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../users/role';
import type { AuthUser } from './auth-user';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import { SessionService } from './session.service';

/**
 * The one global guard: every route needs a valid access token of a live session unless marked @Public();
 * @Roles() narrows it. The user is re-read so that a deactivated account or an ended session stops working
 * at once. Per-record access is the services' job.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Log in first: send the access token as "Authorization: Bearer <token>"');
    const { user } = await this.sessions.authenticate(token);
    request.user = user;
    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, targets)) {
      throw new ForbiddenException({
        message: 'Change the one-time password first: POST /api/auth/change-password',
        code: 'PASSWORD_CHANGE_REQUIRED',
      });
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}

/** The token of an "Authorization: Bearer <token>" header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || !header.startsWith('Bearer ')) return null;
  const token = header.slice('Bearer '.length).trim();
  return token.length > 0 ? token : null;
}

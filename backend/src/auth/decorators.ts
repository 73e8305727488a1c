import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/role';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'jiesu:isPublic';
export const REQUIRED_ROLES = 'jiesu:requiredRoles';

/** The route needs no login. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The route stays open to an account that must first change its one-time password (GET /api/me, logout, change-password). */
export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'jiesu:allowedBeforePasswordChange';
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const request = context.switchToHttp().getRequest<{ user: AuthUser }>();
  return request.user;
});

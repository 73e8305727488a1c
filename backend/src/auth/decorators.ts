import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/role';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'jiesu:isPublic';
/** @nestjs/swagger's metadata key for an operation's security requirements (its constants are not exported). */
const SWAGGER_API_SECURITY = 'swagger/apiSecurity';
export const REQUIRED_ROLES = 'jiesu:requiredRoles';

/** The route needs no login; its OpenAPI operation says so (`security: []` overrides the document's bearer requirement). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(SWAGGER_API_SECURITY, []));

/** The route stays open to an account that must first change its one-time password (GET /api/me, logout, change-password). */
export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'jiesu:allowedBeforePasswordChange';
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const request = context.switchToHttp().getRequest<{ user: AuthUser }>();
  return request.user;
});

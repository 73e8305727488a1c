import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config';
import { bearerToken } from '../auth.guard';
import { normaliseUsername } from '../normalise-username';
import type { TokenService } from '../token.service';

/** The throttlers, by name (the name is part of every counter's key). */
export const THROTTLERS = { api: 'api', loginIp: 'login-ip', loginUsername: 'login-username' } as const;

const LOGIN_RATE_LIMITED = 'jiesu:loginRateLimited';

/** The route is a login: it is also limited per client IP and per username. */
export const LoginRateLimited = () => SetMetadata(LOGIN_RATE_LIMITED, true);

function isLogin(context: ExecutionContext): boolean {
  return Reflect.getMetadata(LOGIN_RATE_LIMITED, context.getHandler()) === true;
}

function usernameOf(request: Request): string | null {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null) return null;
  const username = (body as { username?: unknown }).username;
  return typeof username === 'string' && username.trim().length > 0 ? normaliseUsername(username) : null;
}

/**
 * The whole API per user (a valid access token's subject; the client IP otherwise), and logins per IP and per
 * username. The throttler guard runs before the auth guard, so requests with bad tokens are limited per IP too.
 */
export function rateLimitOptions(config: AppConfig, tokens: TokenService): ThrottlerModuleOptions {
  const windowMs = config.rateLimits.windowSeconds * 1000;
  const apiTracker = (request: Request): string => {
    const token = bearerToken(request.headers.authorization);
    if (token) {
      try {
        return `user:${tokens.verifyAccess(token).sub}`;
      } catch {
        // An invalid token counts against the address it comes from.
      }
    }
    return `ip:${request.ip ?? 'unknown'}`;
  };
  const throttlers: ThrottlerOptions[] = [
    { name: THROTTLERS.api, ttl: windowMs, limit: config.rateLimits.apiPerUser, getTracker: (request) => apiTracker(request as Request) },
    {
      name: THROTTLERS.loginIp,
      ttl: windowMs,
      limit: config.rateLimits.loginPerIp,
      skipIf: (context) => !isLogin(context),
      getTracker: (request) => `ip:${(request as Request).ip ?? 'unknown'}`,
    },
    {
      name: THROTTLERS.loginUsername,
      ttl: windowMs,
      limit: config.rateLimits.loginPerUsername,
      // A body without a username fails validation anyway; it is still limited per IP.
      skipIf: (context) => !isLogin(context) || usernameOf(context.switchToHttp().getRequest<Request>()) === null,
      getTracker: (request) => `username:${usernameOf(request as Request) ?? ''}`,
    },
  ];
  return {
    throttlers,
    // One counter per throttler and tracker across all routes (the default would count each route apart).
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    setHeaders: false,
  };
}

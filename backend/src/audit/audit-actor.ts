import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';

/** Who made a change, and the request it came with, as the audit trail records it. */
export interface AuditActor {
  /** Null for the system itself. */
  id: number | null;
  name: string;
  role: string;
  correlationId: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system', role: 'system', correlationId: null };

export function auditActorOf(user: AuthUser, correlationId: string | null): AuditActor {
  return { id: user.id, name: user.displayName, role: user.role, correlationId };
}

/** The logged-in caller as an audit actor, with the request's correlation id (routes behind the login only). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): AuditActor => {
  const request = context.switchToHttp().getRequest<{ user: AuthUser; id?: unknown }>();
  return auditActorOf(request.user, typeof request.id === 'string' ? request.id : null);
});

/** Where a request came from, for the details of security events (logins, password changes, reading the trail). */
export interface ClientInfo {
  /** The client address (behind a trusted proxy, the forwarded one: 'trust proxy' is set in app.factory.ts). */
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
}

export const NO_CLIENT: ClientInfo = { ip: null, userAgent: null, correlationId: null };

/** The request's client address, user agent (at most 256 characters) and correlation id; works on public routes too. */
export const CurrentClient = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<{ ip?: unknown; id?: unknown; headers: Record<string, unknown> }>();
  const userAgent = request.headers['user-agent'];
  return {
    ip: typeof request.ip === 'string' && request.ip !== '' ? request.ip : null,
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? userAgent.slice(0, 256) : null,
    correlationId: typeof request.id === 'string' ? request.id : null,
  };
});

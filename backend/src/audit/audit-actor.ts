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

import { http } from './http';

/** One row of the audit trail (GET /api/audit, auditors only). */
export interface AuditEvent {
  id: number;
  at: string;
  /** Null for the system and for failed logins. */
  actorId: number | null;
  actorName: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  correlationId: string | null;
}

export interface AuditEventList {
  items: AuditEvent[];
  /** Pass as `cursor` for the next, older page; null on the last page. */
  nextCursor: string | null;
}

/** The query GET /api/audit takes; every field optional. */
export interface AuditQuery {
  from?: string;
  to?: string;
  actorId?: number;
  actorName?: string;
  /** Exact, or every action under a prefix ending with a dot (`user.`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  cursor?: string;
  pageSize?: number;
}

/** The page's filter form as the user fills it. */
export interface AuditFilterForm {
  /** [from, to) as picked; null: any time. */
  range: [Date, Date] | null;
  /** A user id (digits only) or an actor name as recorded. */
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
}

export const AUDIT_PAGE_SIZE = 50;

/** Turns the filter form into the API's query: blanks left out, digits as actorId, anything else as actorName. */
export function toAuditQuery(form: AuditFilterForm, cursor: string | null = null, pageSize = AUDIT_PAGE_SIZE): AuditQuery {
  const query: AuditQuery = { pageSize };
  if (form.range) {
    query.from = form.range[0].toISOString();
    query.to = form.range[1].toISOString();
  }
  const actor = form.actor.trim();
  if (/^[1-9]\d{0,9}$/.test(actor)) query.actorId = Number(actor);
  else if (actor !== '') query.actorName = actor;
  const action = form.action.trim();
  if (action !== '') query.action = action;
  const targetType = form.targetType.trim();
  if (targetType !== '') query.targetType = targetType;
  const targetId = form.targetId.trim();
  if (targetId !== '') query.targetId = targetId;
  if (cursor) query.cursor = cursor;
  return query;
}

export function listAuditEvents(query: AuditQuery, signal?: AbortSignal): Promise<AuditEventList> {
  return http.get<AuditEventList>('/audit', { params: query, signal });
}

import { BadRequestException, Injectable } from '@nestjs/common';
import type { AuditActor, ClientInfo } from './audit-actor';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';
import type { AuditEvent } from './audit-event.entity';
import { AuditEventFilter, AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import type { AuditEventListResponse, AuditEventResponse } from './dto/audit-event.response';
import type { ListAuditEventsQueryDto } from './dto/list-audit-events.dto';

/** The auditor's reading of the trail (安全审计员). Every reading is itself recorded as `audit.read`, with its filters. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly events: AuditRepository,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListAuditEventsQueryDto, actor: AuditActor, client: ClientInfo): Promise<AuditEventListResponse> {
    const filter: AuditEventFilter = {
      from: query.from ? new Date(query.from) : null,
      to: query.to ? new Date(query.to) : null,
      actorId: query.actorId ?? null,
      actorName: query.actorName ?? null,
      action: query.action ?? null,
      targetType: query.targetType ?? null,
      targetId: query.targetId ?? null,
    };
    if (filter.from && filter.to && filter.from >= filter.to) throw new BadRequestException('from must be before to');
    // The DTO checked the cursor already; a null here cannot happen.
    const cursor = query.cursor ? decodeAuditCursor(query.cursor) : null;
    // One row more than asked tells whether an older page exists.
    const rows = await this.events.findPage(filter, cursor, query.pageSize + 1);
    const page = rows.slice(0, query.pageSize);
    const last = page[page.length - 1];
    await this.audit.record({
      actor,
      action: 'audit.read',
      targetType: 'audit_events',
      targetId: '*',
      details: {
        filters: Object.fromEntries(Object.entries({ ...filter, cursor: query.cursor ?? null, pageSize: query.pageSize }).filter(([, value]) => value !== null)),
        returned: page.length,
        ip: client.ip,
        userAgent: client.userAgent,
      },
    });
    return { items: page.map(view), nextCursor: rows.length > query.pageSize ? encodeAuditCursor({ at: last.at, id: last.id }) : null };
  }
}

function view(row: AuditEvent): AuditEventResponse {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    actorRole: row.actorRole,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: parseDetails(row.details),
    correlationId: row.correlationId,
  };
}

/** Details are JSON objects; anything else (written by hand) is shown as it is stored. */
function parseDetails(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { text };
  }
}

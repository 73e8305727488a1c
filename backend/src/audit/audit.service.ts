import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import type { AuditActor } from './audit-actor';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted, at most 64 characters: `calendar.override.create`. */
  action: string;
  targetType: string;
  targetId: string | number;
  /** Serialised to JSON; before/after images for a change. */
  details: Record<string, unknown>;
}

/** Appends to the audit trail. Nothing here updates or deletes: the trail is append-only. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one audit row. Given the caller's transaction manager, the row is written inside that transaction, so
   * that it exists exactly when the change it describes was committed.
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<AuditEvent> {
    const repository = manager ? manager.getRepository(AuditEvent) : this.events;
    const row = repository.create({
      at: this.clock.now(),
      actorId: entry.actor.id,
      actorName: entry.actor.name.slice(0, 64),
      actorRole: entry.actor.role.slice(0, 32),
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      details: JSON.stringify(entry.details),
      correlationId: entry.actor.correlationId?.slice(0, 64) ?? null,
    });
    return repository.save(row);
  }
}

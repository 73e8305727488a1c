import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../database/columns';

/**
 * The audit trail: one row per administrative change or security event (logins, lockouts, password changes),
 * append-only (nothing updates a row). The actor's name and role are copied in, so the row still says who it was
 * after the account is renamed or changes role.
 * Only the auditor (安全审计员) reads it (GET /api/audit); the only delete is the retention purge of rows older than
 * AUDIT_RETENTION_DAYS (AuditRetention). The (at, id) index serves the newest-first keyset paging and the purge.
 */
@Entity('audit_events')
@Index('IDX_audit_events_at_id', ['at', 'id'])
@Index('IDX_audit_events_action_at', ['action', 'at'])
@Index('IDX_audit_events_actor_at', ['actorId', 'at'])
@Index('IDX_audit_events_target_at', ['targetType', 'targetId', 'at'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @UtcDateTimeColumn()
  at: Date;

  /** Null for the system itself (a scheduler, a migration script). */
  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 64 })
  actorName: string;

  @Column({ type: 'varchar', length: 32 })
  actorRole: string;

  /** What happened, dotted: `calendar.override.create`. */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  /** The kind of record changed (`calendar_override`) and its id, as text so that any key fits. */
  @Column({ type: 'varchar', length: 64 })
  targetType: string;

  @Column({ type: 'varchar', length: 64 })
  targetId: string;

  /** JSON text, e.g. `{"before": …, "after": …}`; text rather than a JSON column so that both engines store it alike. */
  @Column({ type: 'text' })
  details: string;

  /** The request's correlation id, to find the matching log lines. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  correlationId: string | null;
}

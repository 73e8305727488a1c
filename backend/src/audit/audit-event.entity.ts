import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../database/columns';

/**
 * The audit trail: one row per administrative change, append-only (nothing updates or deletes a row). The actor's
 * name and role are copied in, so the row still says who it was after the account is renamed or changes role.
 * A reader API (and an auditor role) come with the lifecycle work; until then the rows are only written.
 */
@Entity('audit_events')
@Index('IDX_audit_events_at', ['at'])
@Index('IDX_audit_events_action_at', ['action', 'at'])
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

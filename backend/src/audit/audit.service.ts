import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import type { AuditActor } from './audit-actor';
import { AuditEvent } from './audit-event.entity';
import { AuditRepository } from './audit.repository';

/**
 * What is recorded (docs/architecture.md "Audit trail"); actions are dotted, at most 64 characters:
 * - administration: `calendar.override.*`, `deadline.rule.*`, `user.*`, `unit.*`, `category.*` (before/after images);
 * - citizen data: `work_order.contact.reveal`;
 * - security: `auth.login`, `auth.login-failed`, `auth.lockout`, `auth.logout`, `auth.refresh-reuse`, `auth.password-change`
 *   (never a password or a hash), with the client's ip and user agent where a request is behind it;
 * - the trail itself: `audit.read` (the auditor's filters), `audit.purge` (the retention job).
 * Exports: there is no export route yet. When report or work-order exports come, each must record
 * `export.<what>` (e.g. `export.work_orders`, `export.assessment`) with the filters and the row count, in the
 * transaction that reads the data: 等保 2.0 wants every bulk read of citizen data traceable.
 */
export interface AuditEntry {
  actor: AuditActor;
  /** Dotted, at most 64 characters: `calendar.override.create`. */
  action: string;
  targetType: string;
  targetId: string | number;
  /** Serialised to JSON; before/after images for a change. Never a password or a hash. */
  details: Record<string, unknown>;
}

/** The row an entry becomes, at `at` (the set-password command line writes it without the application). */
export function auditRow(entry: AuditEntry, at: Date): Omit<AuditEvent, 'id'> {
  return {
    at,
    actorId: entry.actor.id,
    actorName: entry.actor.name.slice(0, 64),
    actorRole: entry.actor.role.slice(0, 32),
    action: entry.action.slice(0, 64),
    targetType: entry.targetType.slice(0, 64),
    targetId: String(entry.targetId).slice(0, 64),
    details: JSON.stringify(entry.details),
    correlationId: entry.actor.correlationId?.slice(0, 64) ?? null,
  };
}

/** Appends to the audit trail. Nothing here updates or deletes: the trail is append-only (retention aside, see AuditRetention). */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditRepository,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one audit row. Given the caller's transaction manager, the row is written inside that transaction, so
   * that it exists exactly when the change it describes was committed; without one, in a transaction of its own
   * (on SQLite every write must go through the transaction queue).
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<AuditEvent> {
    const row = auditRow(entry, this.clock.now());
    return manager ? this.events.insert(row, manager) : this.transactions.run((own) => this.events.insert(row, own));
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { SYSTEM_ACTOR } from './audit-actor';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Rows deleted per statement: short transactions, so the SQLite write queue and InnoDB locks are never held long. */
export const AUDIT_PURGE_BATCH = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditPurgeResult {
  cutoff: Date;
  deleted: number;
}

/**
 * Retention of the audit trail: once a day, rows older than AUDIT_RETENTION_DAYS (at least 180) are deleted, 5,000
 * per statement until none is left. Idempotent and safe with several instances at once: each statement deletes
 * whatever old rows are still there, and a second instance finds none. A purge that deleted rows records
 * `audit.purge` (by the system) with the cutoff and the count, so the trail shows its own gaps.
 */
@Injectable()
export class AuditRetention {
  private readonly logger = new Logger(AuditRetention.name);

  constructor(
    private readonly events: AuditRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Rows before this instant are past the retention. */
  cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.config.audit.retentionDays * DAY_MS);
  }

  async purge(batchSize: number = AUDIT_PURGE_BATCH): Promise<AuditPurgeResult> {
    const cutoff = this.cutoff();
    let deleted = 0;
    for (;;) {
      const batch = await this.transactions.run((manager) => this.events.deleteOlderThan(cutoff, batchSize, manager));
      deleted += batch;
      if (batch < batchSize) break;
    }
    if (deleted > 0) {
      await this.audit.record({
        actor: SYSTEM_ACTOR,
        action: 'audit.purge',
        targetType: 'audit_events',
        targetId: '*',
        details: { retentionDays: this.config.audit.retentionDays, cutoff: cutoff.toISOString(), deleted },
      });
    }
    return { cutoff, deleted };
  }

  /** Every day at 03:17 server time (an odd minute, away from other hourly jobs). */
  @Cron('0 17 3 * * *', { name: 'audit-retention' })
  async runScheduled(): Promise<void> {
    try {
      const { deleted, cutoff } = await this.purge();
      if (deleted > 0) this.logger.log(`Purged ${deleted} audit rows older than ${cutoff.toISOString()}`);
    } catch (error) {
      // The next day tries again; a failed run must not become an unhandled rejection.
      this.logger.error(`Purging the audit trail failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

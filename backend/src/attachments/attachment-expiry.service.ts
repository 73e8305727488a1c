import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { AttachmentFiles } from './attachment-files';
import { AttachmentsRepository } from './attachments.repository';

/** An upload not bound to a work order within this time expires: it can no longer be bound and is deleted. */
export const UNBOUND_UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
const CLEANUP_INTERVAL_MS = 15 * 60 * 1000;
const BATCH_SIZE = 500;

export interface ExpiryResult {
  deletedRows: number;
  deletedFiles: number;
}

/**
 * Deletes uploads never bound to an order once they are older than 24 hours, and their files when no other
 * row names the same content. Safe when several instances run it at once: rows go by a conditional DELETE
 * (still unbound, still expired), files by AttachmentFiles.removeUnreferenced.
 */
@Injectable()
export class AttachmentExpiry {
  private readonly logger = new Logger(AttachmentExpiry.name);

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly files: AttachmentFiles,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  /** The cutoff: uploads created before it have expired. */
  cutoff(): Date {
    return new Date(this.clock.now().getTime() - UNBOUND_UPLOAD_LIFETIME_MS);
  }

  async expireUnbound(): Promise<ExpiryResult> {
    const cutoff = this.cutoff();
    const result: ExpiryResult = { deletedRows: 0, deletedFiles: 0 };
    for (;;) {
      const batch = await this.attachments.expiredUnbound(cutoff, BATCH_SIZE);
      if (batch.length === 0) break;
      const ids = batch.map((a) => a.id);
      result.deletedRows += await this.transactions.run((manager) => this.attachments.deleteExpiredUnbound(ids, cutoff, manager));
      for (const sha256 of new Set(batch.map((a) => a.sha256))) {
        if (await this.files.removeUnreferenced(sha256, (hash) => this.attachments.isContentReferenced(hash))) result.deletedFiles++;
      }
      if (batch.length < BATCH_SIZE) break;
    }
    return result;
  }

  @Interval('attachments-expire-unbound', CLEANUP_INTERVAL_MS)
  async runScheduled(): Promise<void> {
    try {
      const { deletedRows, deletedFiles } = await this.expireUnbound();
      if (deletedRows > 0) this.logger.log(`Deleted ${deletedRows} expired unbound uploads and ${deletedFiles} files`);
    } catch (error) {
      // The next run tries again; a failed run must not become an unhandled rejection.
      this.logger.error(`Expiring unbound uploads failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

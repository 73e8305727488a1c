import { Inject, Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { extname } from 'node:path';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { Attachment } from './attachment.entity';
import { AttachmentExpiry, UNBOUND_UPLOAD_LIFETIME_MS } from './attachment-expiry.service';
import { AttachmentFiles } from './attachment-files';
import { ALLOWED_ATTACHMENT_TYPES, contentMismatch } from './attachment-types';
import { AttachmentsRepository } from './attachments.repository';
import { checkUploadQuota } from './upload-quota';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface AttachmentView {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
  purpose: string | null;
  createdAt: Date;
}

export function toAttachmentView(a: Attachment): AttachmentView {
  return { id: a.id, fileName: a.fileName, mimeType: a.mimeType, size: a.size, sha256: a.sha256, purpose: a.purpose, createdAt: a.createdAt };
}

/** Files on disk, addressed by their sha256; rows in the database say who uploaded them and which order they belong to. */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly files: AttachmentFiles,
    private readonly expiry: AttachmentExpiry,
    private readonly clock: Clock,
    private readonly transactions: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(caller: AuthUser, file: UploadedFile | undefined): Promise<AttachmentView> {
    if (!file) throw new UnprocessableException('Send the file as multipart/form-data in the field "file"');
    const extension = extname(file.originalname).toLowerCase();
    const allowed = ALLOWED_ATTACHMENT_TYPES[extension];
    if (!allowed) {
      throw new UnsupportedMediaTypeException(
        `Files of type "${extension || '(none)'}" are not accepted; allowed: ${Object.keys(ALLOWED_ATTACHMENT_TYPES).join(' ')}`,
      );
    }
    if (file.size === 0) throw new UnprocessableException('The file is empty');
    const mismatch = contentMismatch(extension, file.buffer);
    if (mismatch) throw new UnsupportedMediaTypeException(`The content of ${file.originalname} does not match its type: it is ${mismatch}`);
    const mimeType = allowed.includes(file.mimetype) ? file.mimetype : allowed[0];
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const now = this.clock.now();
    const saved = await this.transactions.run(async (manager) => {
      await this.attachments.lockUploader(caller.id, manager);
      const recent = await this.attachments.uploadsSince(caller.id, new Date(now.getTime() - UNBOUND_UPLOAD_LIFETIME_MS), manager);
      checkUploadQuota({ unboundBytes: this.config.attachments.unboundQuotaBytes, dailyBytes: this.config.attachments.dailyQuotaBytes }, recent, file.size);
      return this.attachments.insert(
        Object.assign(new Attachment(), {
          id: randomUUID(),
          workOrderId: null,
          purpose: null,
          fileName: file.originalname.slice(0, 255),
          mimeType,
          size: file.size,
          sha256,
          uploadedById: caller.id,
          createdAt: now,
        }),
        manager,
      );
    });
    // The row first, the file after: expiry of an older row with the same content then either sees this row
    // and keeps the file, or has moved the file aside already and this writes it again.
    try {
      await this.files.ensureStored(sha256, file.buffer);
    } catch (error) {
      await this.transactions.run((manager) => this.attachments.delete(saved.id, manager));
      throw error;
    }
    return toAttachmentView(saved);
  }

  /** Binds uploaded, still unbound and unexpired files of the caller to an order, inside the order's transaction. */
  async bindToWorkOrder(caller: AuthUser, ids: string[] | undefined, workOrderId: number, purpose: string, manager: EntityManager): Promise<void> {
    await this.bindAndView(caller, ids, workOrderId, purpose, manager);
  }

  /**
   * The same, answering the files as the order now shows them (registration builds its response from them). No ids:
   * no statement at all (most registrations have no files).
   */
  async bindAndView(caller: AuthUser, ids: string[] | undefined, workOrderId: number, purpose: string, manager: EntityManager): Promise<AttachmentView[]> {
    if (!ids || ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const found = await this.attachments.findUnbound(unique, caller.id, manager);
    if (found.length !== unique.length) {
      const missing = unique.filter((id) => !found.some((a) => a.id === id));
      throw new UnprocessableException(
        `Attachments ${missing.join(', ')} do not exist, were uploaded by someone else or already belong to an order ` +
          '(uploads not attached to an order within 24 hours are deleted)',
        { attachmentIds: missing },
      );
    }
    const cutoff = this.expiry.cutoff();
    const expired = found.filter((a) => a.createdAt.getTime() < cutoff.getTime()).map((a) => a.id);
    if (expired.length > 0) {
      throw new UnprocessableException(
        `Attachments ${expired.join(', ')} have expired: they were uploaded more than 24 hours ago and not attached to an order; upload them again`,
        { attachmentIds: expired },
      );
    }
    const bound = await this.attachments.bind(unique, workOrderId, purpose, cutoff, manager);
    if (bound !== unique.length) {
      // Expired, deleted or bound by another request between the check and the update.
      throw new UnprocessableException('Some of the attachments expired or were attached to another order meanwhile; upload them again', { attachmentIds: unique });
    }
    // In the order ofWorkOrder() lists them (oldest first).
    return found
      .map((a) => toAttachmentView(Object.assign(a, { workOrderId, purpose })))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async ofWorkOrder(workOrderId: number): Promise<AttachmentView[]> {
    return (await this.attachments.ofWorkOrder(workOrderId)).map(toAttachmentView);
  }

  findById(id: string): Promise<Attachment | null> {
    return this.attachments.findById(id);
  }

  async open(attachment: Attachment): Promise<ReadStream> {
    const stream = await this.files.open(attachment.sha256);
    if (!stream) throw new NotFoundException(`The file of attachment ${attachment.id} is missing from storage`);
    return stream;
  }
}

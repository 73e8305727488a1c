import { Inject, Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { Attachment } from './attachment.entity';
import { ALLOWED_ATTACHMENT_TYPES, contentMatchesType } from './attachment-types';
import { AttachmentsRepository } from './attachments.repository';

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
    const mimeType = allowed.includes(file.mimetype) ? file.mimetype : allowed[0];
    if (!contentMatchesType(mimeType, file.buffer)) {
      throw new UnsupportedMediaTypeException(`The content of ${file.originalname} is not a ${extension} file`);
    }
    if (file.size === 0) throw new UnprocessableException('The file is empty');
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    await this.store(sha256, file.buffer);
    const saved = await this.transactions.run((manager) =>
      this.attachments.insert(
        Object.assign(new Attachment(), {
          id: randomUUID(),
          workOrderId: null,
          purpose: null,
          fileName: file.originalname.slice(0, 255),
          mimeType,
          size: file.size,
          sha256,
          uploadedById: caller.id,
          createdAt: this.clock.now(),
        }),
        manager,
      ),
    );
    return toAttachmentView(saved);
  }

  /** Binds uploaded, still unbound files of the caller to an order, inside the order's transaction. */
  async bindToWorkOrder(caller: AuthUser, ids: string[] | undefined, workOrderId: number, purpose: string, manager: EntityManager): Promise<void> {
    if (!ids || ids.length === 0) return;
    const unique = [...new Set(ids)];
    const found = await this.attachments.findUnbound(unique, caller.id, manager);
    if (found.length !== unique.length) {
      const missing = unique.filter((id) => !found.some((a) => a.id === id));
      throw new UnprocessableException(
        `Attachments ${missing.join(', ')} do not exist, were uploaded by someone else or already belong to an order`,
      );
    }
    await this.attachments.bind(unique, workOrderId, purpose, manager);
  }

  async ofWorkOrder(workOrderId: number): Promise<AttachmentView[]> {
    return (await this.attachments.ofWorkOrder(workOrderId)).map(toAttachmentView);
  }

  findById(id: string): Promise<Attachment | null> {
    return this.attachments.findById(id);
  }

  async open(attachment: Attachment): Promise<ReadStream> {
    const path = this.pathOf(attachment.sha256);
    try {
      await access(path);
    } catch {
      throw new NotFoundException(`The file of attachment ${attachment.id} is missing from storage`);
    }
    return createReadStream(path);
  }

  private pathOf(sha256: string): string {
    return join(this.config.attachments.directory, sha256.slice(0, 2), sha256);
  }

  private async store(sha256: string, content: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    try {
      await access(path);
      return; // same content already stored
    } catch {
      // not stored yet
    }
    await mkdir(join(this.config.attachments.directory, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, path);
  }
}

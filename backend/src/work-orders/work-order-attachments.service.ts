import { Injectable, NotFoundException } from '@nestjs/common';
import type { ReadStream } from 'node:fs';
import type { Attachment } from '../attachments/attachment.entity';
import { AttachmentsService } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { WorkOrdersService } from './work-orders.service';

/** Downloads go through the order, so whoever may see the order may read its files, and no one else. */
@Injectable()
export class WorkOrderAttachmentsService {
  constructor(
    private readonly workOrders: WorkOrdersService,
    private readonly attachments: AttachmentsService,
  ) {}

  async open(caller: AuthUser, workOrderId: number, attachmentId: string): Promise<{ attachment: Attachment; stream: ReadStream }> {
    await this.workOrders.requireVisible(caller, workOrderId);
    const attachment = await this.attachments.findById(attachmentId);
    if (!attachment || attachment.workOrderId !== workOrderId) {
      throw new NotFoundException(`Work order ${workOrderId} has no attachment ${attachmentId}`);
    }
    return { attachment, stream: await this.attachments.open(attachment) };
  }
}

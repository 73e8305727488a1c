import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { Attachment } from './attachment.entity';

@Injectable()
export class AttachmentsRepository {
  constructor(@InjectRepository(Attachment) private readonly attachments: Repository<Attachment>) {}

  insert(attachment: Attachment, manager: EntityManager): Promise<Attachment> {
    return manager.save(Attachment, attachment);
  }

  findById(id: string): Promise<Attachment | null> {
    return this.attachments.findOne({ where: { id } });
  }

  ofWorkOrder(workOrderId: number): Promise<Attachment[]> {
    return this.attachments.find({ where: { workOrderId }, order: { createdAt: 'ASC' } });
  }

  findUnbound(ids: string[], uploadedById: number, manager: EntityManager): Promise<Attachment[]> {
    return manager.find(Attachment, { where: { id: In(ids), uploadedById, workOrderId: IsNull() } });
  }

  async bind(ids: string[], workOrderId: number, purpose: string, manager: EntityManager): Promise<void> {
    await manager.update(Attachment, { id: In(ids), workOrderId: IsNull() }, { workOrderId, purpose });
  }
}

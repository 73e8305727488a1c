import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, MoreThanOrEqual, Repository } from 'typeorm';
import { Attachment } from './attachment.entity';

/** What the upload quota needs of one recent upload. */
export type RecentUpload = Pick<Attachment, 'size' | 'createdAt' | 'workOrderId'>;

@Injectable()
export class AttachmentsRepository {
  constructor(@InjectRepository(Attachment) private readonly attachments: Repository<Attachment>) {}

  insert(attachment: Attachment, manager: EntityManager): Promise<Attachment> {
    return manager.save(Attachment, attachment);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(Attachment, { id });
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

  /** Binds the rows that are still unbound and not expired; returns how many were bound. */
  async bind(ids: string[], workOrderId: number, purpose: string, notBefore: Date, manager: EntityManager): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Attachment)
      .set({ workOrderId, purpose })
      .where({ id: In(ids), workOrderId: IsNull(), createdAt: MoreThanOrEqual(notBefore) })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Serialises one user's uploads on MySQL/MariaDB (a row lock on the user), so parallel uploads cannot all
   * pass the quota; SQLite runs every write transaction one after another anyway.
   */
  async lockUploader(userId: number, manager: EntityManager): Promise<void> {
    if (manager.connection.options.type === 'better-sqlite3') return;
    await manager.query('SELECT `id` FROM `users` WHERE `id` = ? FOR UPDATE', [userId]);
  }

  uploadsSince(uploadedById: number, since: Date, manager: EntityManager): Promise<RecentUpload[]> {
    return manager.find(Attachment, {
      select: { size: true, createdAt: true, workOrderId: true },
      where: { uploadedById, createdAt: MoreThanOrEqual(since) },
      order: { createdAt: 'ASC' },
    });
  }

  /** Unbound rows created before the cutoff, oldest first. */
  expiredUnbound(cutoff: Date, limit: number): Promise<Pick<Attachment, 'id' | 'sha256'>[]> {
    return this.attachments
      .createQueryBuilder('a')
      .select(['a.id', 'a.sha256'])
      .where('a.workOrderId IS NULL')
      .andWhere('a.createdAt < :cutoff', { cutoff })
      .orderBy('a.createdAt', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Deletes those of the rows that are still unbound and expired: a row bound meanwhile, or already deleted
   * by another instance, is left alone. Returns how many rows this call deleted.
   */
  async deleteExpiredUnbound(ids: string[], cutoff: Date, manager: EntityManager): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(Attachment)
      .where('id IN (:...ids)', { ids })
      .andWhere('workOrderId IS NULL')
      .andWhere('createdAt < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }

  async isContentReferenced(sha256: string): Promise<boolean> {
    return (await this.attachments.count({ where: { sha256 } })) > 0;
  }
}

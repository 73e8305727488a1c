import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, type Repository } from 'typeorm';
import { RepeatScreeningPending } from './entities/repeat-screening-pending.entity';

/** The queries of the repeat screening queue's table (repeat_screening_pending). */
@Injectable()
export class RepeatScreeningPendingRepository {
  constructor(@InjectRepository(RepeatScreeningPending) private readonly pending: Repository<RepeatScreeningPending>) {}

  async add(workOrderId: number, queuedAt: Date, manager: EntityManager): Promise<void> {
    await manager.insert(RepeatScreeningPending, { workOrderId, queuedAt, claimedAt: null });
  }

  /** Sets the claim unless a claim newer than `claimExpired` holds the row; false when none was set (or the row is gone). */
  async claim(workOrderId: number, now: Date, claimExpired: Date): Promise<boolean> {
    const result = await this.pending
      .createQueryBuilder()
      .update(RepeatScreeningPending)
      .set({ claimedAt: now })
      .where('workOrderId = :workOrderId', { workOrderId })
      .andWhere(new Brackets((q) => q.where('claimedAt IS NULL').orWhere('claimedAt < :claimExpired', { claimExpired })))
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async remove(workOrderId: number): Promise<void> {
    await this.pending.delete({ workOrderId });
  }

  /** Rows queued by `queuedBefore` and not claimed since `claimExpired`, lowest order first. */
  async leftBehind(queuedBefore: Date, claimExpired: Date, limit: number): Promise<number[]> {
    const rows = await this.pending
      .createQueryBuilder('p')
      .select('p.workOrderId', 'workOrderId')
      .where('p.queuedAt <= :queuedBefore', { queuedBefore })
      .andWhere(new Brackets((q) => q.where('p.claimedAt IS NULL').orWhere('p.claimedAt < :claimExpired', { claimExpired })))
      .orderBy('p.workOrderId', 'ASC')
      .limit(limit)
      .getRawMany<{ workOrderId: number | string }>();
    return rows.map((row) => Number(row.workOrderId));
  }

  count(): Promise<number> {
    return this.pending.count();
  }
}

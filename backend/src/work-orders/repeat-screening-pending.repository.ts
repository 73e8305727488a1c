import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, type EntityManager, type Repository } from 'typeorm';
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

  /**
   * claim() for several rows in one statement; answers the rows claimed now. When every row was claimed (nearly always)
   * that is all of them; otherwise they are told by the claim's time — `now`, a millisecond another process would have to
   * share for one of these rows to be taken twice (and screening a recorded order again changes nothing:
   * RepeatScreeningQueue.sweep skips it).
   */
  async claimAll(workOrderIds: readonly number[], now: Date, claimExpired: Date): Promise<Set<number>> {
    if (workOrderIds.length === 0) return new Set();
    const result = await this.pending
      .createQueryBuilder()
      .update(RepeatScreeningPending)
      .set({ claimedAt: now })
      .where('workOrderId IN (:...workOrderIds)', { workOrderIds: [...workOrderIds] })
      .andWhere(new Brackets((q) => q.where('claimedAt IS NULL').orWhere('claimedAt < :claimExpired', { claimExpired })))
      .execute();
    if ((result.affected ?? 0) === new Set(workOrderIds).size) return new Set(workOrderIds);
    const rows = await this.pending
      .createQueryBuilder('p')
      .select('p.workOrderId', 'workOrderId')
      .where('p.workOrderId IN (:...workOrderIds)', { workOrderIds: [...workOrderIds] })
      .andWhere('p.claimedAt = :now', { now })
      .getRawMany<{ workOrderId: number | string }>();
    return new Set(rows.map((row) => Number(row.workOrderId)));
  }

  /** Gives the claims back (rows a process claimed and will not screen). */
  async release(workOrderIds: readonly number[]): Promise<void> {
    if (workOrderIds.length > 0) await this.pending.update({ workOrderId: In([...workOrderIds]) }, { claimedAt: null });
  }

  async remove(workOrderId: number): Promise<void> {
    await this.pending.delete({ workOrderId });
  }

  /** Several rows in one statement. */
  async removeAll(workOrderIds: readonly number[]): Promise<void> {
    if (workOrderIds.length > 0) await this.pending.delete({ workOrderId: In([...workOrderIds]) });
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

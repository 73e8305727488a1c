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

  /**
   * Sets the claims, in one statement, on the rows no claim newer than `claimExpired` holds; answers the rows claimed
   * now. When every row was claimed (nearly always) that is all of them; otherwise they are told by the claim's time —
   * `now`, a millisecond another process would have to share for one of these rows to be taken twice (and screening a
   * recorded order again changes nothing: RepeatScreeningQueue.sweep skips it).
   */
  claimAll(workOrderIds: readonly number[], now: Date, claimExpired: Date): Promise<Set<number>> {
    return this.claimWhere(workOrderIds, now, unclaimed('claimedAt', claimExpired));
  }

  /**
   * Renews this process's claims, made at `previous`, on rows it still holds (before they expire, while they wait for
   * the queue); answers the rows renewed — those whose claim is still `previous`, all of them unless the process stalled
   * for longer than a claim lasts and another process took a row over.
   */
  renewClaims(workOrderIds: readonly number[], previous: Date, now: Date): Promise<Set<number>> {
    return this.claimWhere(workOrderIds, now, new Brackets((q) => q.where('claimedAt = :previous', { previous })));
  }

  /** Claims the rows where `condition` holds, in one statement; answers the rows claimed now (see claimAll). */
  private async claimWhere(workOrderIds: readonly number[], now: Date, condition: Brackets): Promise<Set<number>> {
    if (workOrderIds.length === 0) return new Set();
    if ((await this.setClaims(workOrderIds, now, condition)) === new Set(workOrderIds).size) return new Set(workOrderIds);
    const rows = await this.pending
      .createQueryBuilder('p')
      .select('p.workOrderId', 'workOrderId')
      .where('p.workOrderId IN (:...workOrderIds)', { workOrderIds: [...workOrderIds] })
      .andWhere('p.claimedAt = :now', { now })
      .getRawMany<{ workOrderId: number | string }>();
    return new Set(rows.map((row) => Number(row.workOrderId)));
  }

  /** Sets the claim on the rows where `condition` holds; answers how many it claimed. */
  private async setClaims(workOrderIds: readonly number[], now: Date, condition: Brackets): Promise<number> {
    const result = await this.pending
      .createQueryBuilder()
      .update(RepeatScreeningPending)
      .set({ claimedAt: now })
      .where('workOrderId IN (:...workOrderIds)', { workOrderIds: [...workOrderIds] })
      .andWhere(condition)
      .execute();
    return result.affected ?? 0;
  }

  /** Gives the claims back (rows a process claimed and will not screen). */
  async release(workOrderIds: readonly number[]): Promise<void> {
    if (workOrderIds.length > 0) await this.pending.update({ workOrderId: In([...workOrderIds]) }, { claimedAt: null });
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
      .andWhere(unclaimed('p.claimedAt', claimExpired))
      .orderBy('p.workOrderId', 'ASC')
      .limit(limit)
      .getRawMany<{ workOrderId: number | string }>();
    return rows.map((row) => Number(row.workOrderId));
  }

  count(): Promise<number> {
    return this.pending.count();
  }
}

/** Rows no living process holds: never claimed, or claimed before `claimExpired` (its claimer died). */
function unclaimed(column: string, claimExpired: Date): Brackets {
  return new Brackets((q) => q.where(`${column} IS NULL`).orWhere(`${column} < :claimExpired`, { claimExpired }));
}

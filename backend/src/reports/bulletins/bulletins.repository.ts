import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../database/database-errors';
import { Bulletin, type BulletinStatus } from './bulletin.entity';

/** Who holds the right to generate a month's bulletin, and since when: the fence every later write checks. */
export interface BulletinClaim {
  claimedAt: Date;
  claimedBy: string;
  trigger: Bulletin['trigger'];
  requestedById: number | null;
}

/** The stored monthly bulletins (table `bulletins`, one row per month). */
@Injectable()
export class BulletinsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * INSERTs the month's row as `generating` under the claim. The unique month decides between instances: the
   * INSERT that loses returns null (the row exists already).
   */
  async insertClaim(month: string, claim: BulletinClaim): Promise<Bulletin | null> {
    try {
      await this.dataSource.manager.insert(Bulletin, {
        month,
        status: 'generating',
        ...claim,
        generatedAt: null,
        fileName: null,
        sizeBytes: null,
        sha256: null,
        error: null,
        createdAt: claim.claimedAt,
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    return this.findByMonth(month);
  }

  /**
   * Takes over a `failed` row or a stale `generating` one, in one conditional UPDATE on the state that was read:
   * of several instances trying at once exactly one changes the row (true).
   */
  async takeOver(seen: Pick<Bulletin, 'id' | 'status' | 'claimedAt'>, claim: BulletinClaim): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Bulletin)
      .set({ status: 'generating', ...claim, error: null })
      .where('id = :id', { id: seen.id })
      .andWhere('status = :status', { status: seen.status })
      .andWhere('claimedAt = :claimedAt', { claimedAt: seen.claimedAt })
      .execute();
    return result.affected === 1;
  }

  /** Records the finished file, if the claim still holds (a taken-over claim writes nothing: false). */
  async markReady(id: number, claim: BulletinClaim, file: { fileName: string; sizeBytes: number; sha256: string; generatedAt: Date }): Promise<boolean> {
    return this.updateUnderClaim(id, claim, { status: 'ready', ...file, error: null });
  }

  /** Records why the attempt failed, if the claim still holds. */
  async markFailed(id: number, claim: BulletinClaim, error: string): Promise<boolean> {
    return this.updateUnderClaim(id, claim, { status: 'failed', error: error.slice(0, 4000) });
  }

  findById(id: number): Promise<Bulletin | null> {
    return this.dataSource.manager.findOne(Bulletin, { where: { id } });
  }

  findByMonth(month: string): Promise<Bulletin | null> {
    return this.dataSource.manager.findOne(Bulletin, { where: { month } });
  }

  /** Every bulletin, the latest month first (one row a month: a few dozen rows in years). */
  listNewestFirst(): Promise<Bulletin[]> {
    return this.dataSource.manager.find(Bulletin, { order: { month: 'DESC' } });
  }

  private async updateUnderClaim(id: number, claim: BulletinClaim, values: Partial<Bulletin> & { status: BulletinStatus }): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Bulletin)
      .set(values)
      .where('id = :id', { id })
      .andWhere('status = :generating', { generating: 'generating' })
      .andWhere('claimedAt = :claimedAt', { claimedAt: claim.claimedAt })
      .andWhere('claimedBy = :claimedBy', { claimedBy: claim.claimedBy })
      .execute();
    return result.affected === 1;
  }
}

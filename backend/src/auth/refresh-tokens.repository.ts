import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThan } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';

/** What presenting a refresh token found. */
export type RefreshTokenUse =
  | { kind: 'rotated'; familyId: string }
  | { kind: 'unknown' }
  | { kind: 'revoked' }
  | { kind: 'expired' }
  /** Already used once: someone holds a copy. The family has been revoked. */
  | { kind: 'reused' };

@Injectable()
export class RefreshTokensRepository {
  async insert(manager: EntityManager, token: Pick<RefreshToken, 'id' | 'userId' | 'familyId' | 'createdAt' | 'expiresAt'>): Promise<void> {
    await manager.insert(RefreshToken, { ...token, usedAt: null, replacedById: null, revokedAt: null });
  }

  /**
   * Marks the token used and replaced by `replacementId`, in one conditional UPDATE: of two parallel uses
   * exactly one changes the row. A token that was already used revokes its whole family.
   */
  async use(manager: EntityManager, id: string, replacementId: string, now: Date): Promise<RefreshTokenUse> {
    const marked = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: now, replacedById: replacementId })
      .where('id = :id', { id })
      .andWhere('usedAt IS NULL')
      .andWhere('revokedAt IS NULL')
      .andWhere('expiresAt > :now', { now })
      .execute();
    const row = await manager.findOne(RefreshToken, { where: { id } });
    if (!row) return { kind: 'unknown' };
    if (marked.affected === 1) return { kind: 'rotated', familyId: row.familyId };
    if (row.revokedAt) return { kind: 'revoked' };
    if (row.usedAt) {
      await this.revokeFamily(manager, row.familyId, now);
      return { kind: 'reused' };
    }
    return { kind: 'expired' };
  }

  async revokeFamily(manager: EntityManager, familyId: string, now: Date): Promise<void> {
    await manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  async revokeAllOfUser(manager: EntityManager, userId: number, now: Date): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /**
   * Expired tokens are worthless and are dropped whenever their user logs in. Found with a plain read and deleted by
   * primary key: a range delete on the userId index would take next-key (gap) locks on MariaDB/MySQL, and the
   * logins of users with neighbouring ids, each inserting its new token into the other's gap, would deadlock.
   */
  async deleteExpiredOfUser(manager: EntityManager, userId: number, now: Date): Promise<void> {
    const expired = await manager.find(RefreshToken, { select: { id: true }, where: { userId, expiresAt: LessThan(now) } });
    if (expired.length > 0) await manager.delete(RefreshToken, { id: In(expired.map((token) => token.id)) });
  }
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * One issued refresh token. Each is good for one use: refreshing marks it used and issues the next token of
 * the same family (one login); presenting a used token again revokes the whole family.
 */
@Entity('refresh_tokens')
export class RefreshToken {
  /** The token's `jti`. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('IDX_refresh_tokens_userId')
  @Column({ type: 'int' })
  userId: number;

  @Index('IDX_refresh_tokens_familyId')
  @Column({ type: 'varchar', length: 36 })
  familyId: string;

  @UtcDateTimeColumn()
  createdAt: Date;

  @UtcDateTimeColumn()
  expiresAt: Date;

  @UtcDateTimeColumn({ nullable: true })
  usedAt: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  replacedById: string | null;

  @UtcDateTimeColumn({ nullable: true })
  revokedAt: Date | null;
}

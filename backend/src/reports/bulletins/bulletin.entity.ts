import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

export const BULLETIN_STATUSES = ['generating', 'ready', 'failed'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

/**
 * 月通报: the monthly bulletin of one month, generated as a PDF on the first working day of the next month (or on
 * demand). The unique month is what makes generation happen once with several instances: the instance whose INSERT
 * wins generates. The PDF is a file under REPORTS_DIR (shared storage when several nodes run).
 */
@Entity('bulletins')
export class Bulletin {
  @PrimaryGeneratedColumn()
  id: number;

  /** The month reported on, YYYY-MM. */
  @Index('UQ_bulletins_month', { unique: true })
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ type: 'varchar', length: 16 })
  status: BulletinStatus;

  /** `schedule` (the monthly job) or `manual` (a supervisor asked for it). */
  @Column({ type: 'varchar', length: 16 })
  trigger: 'schedule' | 'manual';

  /** Who asked (manual), null for the scheduler. */
  @Column({ type: 'int', nullable: true })
  requestedById: number | null;

  /** When the generating instance claimed it; a claim older than the stale limit may be taken over. */
  @UtcDateTimeColumn()
  claimedAt: Date;

  /** Which instance generates it (host:pid), for the operator. */
  @Column({ type: 'varchar', length: 100 })
  claimedBy: string;

  @UtcDateTimeColumn({ nullable: true })
  generatedAt: Date | null;

  /** The file's name under REPORTS_DIR (null until ready). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @Column({ type: 'int', nullable: true })
  sizeBytes: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  /** Why the last attempt failed (status `failed`). */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @UtcDateTimeColumn()
  createdAt: Date;
}

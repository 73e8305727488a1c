import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * 热点 (多人反映): a matter several citizens reported at one place within the hotspot window. Kept up to date as its
 * orders arrive; its members are the orders whose fingerprint names its matter.
 */
@Entity('hotspots')
@Index('IDX_hotspots_lastAt', ['lastAt'])
export class Hotspot {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_hotspots_matterId', { unique: true })
  @Column({ type: 'int' })
  matterId: number;

  /** Title and address of the matter's latest order (what a supervisor reads in the list). */
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 255 })
  address: string;

  @Column({ type: 'int', nullable: true })
  districtUnitId: number | null;

  @Column({ type: 'int', nullable: true })
  streetUnitId: number | null;

  @Column({ type: 'int' })
  categoryId: number;

  /** Orders of the matter within the window when it last grew, and how many different callers they came from. */
  @Column({ type: 'int' })
  memberCount: number;

  @Column({ type: 'int' })
  callerCount: number;

  @UtcDateTimeColumn()
  firstAt: Date;

  @UtcDateTimeColumn()
  lastAt: Date;

  /** When it first reached the hotspot size. */
  @UtcDateTimeColumn()
  formedAt: Date;

  @UtcDateTimeColumn()
  updatedAt: Date;
}

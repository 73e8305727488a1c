import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * What one order last contributed to unit_day_stats, as the snapshot the contributions are computed from
 * (order-contributions.ts StatSnapshot): the lead unit, the instants that place each figure on a day, and the yes/no
 * flags in one int — about 50 bytes a row. When the order changes the statistics job computes the contributions of
 * the stored snapshot and of the current row, applies the difference to unit_day_stats and stores the new snapshot,
 * so a moved date or a changed lead unit takes the order out of the old day and unit exactly. No row: the order
 * counts nothing (not dispatched, merged, cancelled, invalid, or not seen yet).
 */
@Entity('order_stat_facts')
export class OrderStatFacts {
  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @Column({ type: 'int' })
  unitId: number;

  @UtcDateTimeColumn()
  dispatchedAt: Date;

  @UtcDateTimeColumn({ nullable: true })
  acceptedAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  repliedAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  overdueDueAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  calledBackAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  closedAt: Date | null;

  /** STAT_FLAGS bits. */
  @Column({ type: 'int' })
  flags: number;

  @Column({ type: 'int', default: 0 })
  replyLateMinutes: number;
}

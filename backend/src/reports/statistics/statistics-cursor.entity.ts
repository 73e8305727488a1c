import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * How far a statistics job has read the timeline (work_order_events.id). The row is also the job's lock: a run holds
 * it (SELECT … FOR UPDATE on MySQL/MariaDB) so two instances never apply the same change twice.
 */
@Entity('statistics_cursors')
export class StatisticsCursor {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ type: 'int', default: 0 })
  lastEventId: number;

  @UtcDateTimeColumn({ nullable: true })
  updatedAt: Date | null;
}

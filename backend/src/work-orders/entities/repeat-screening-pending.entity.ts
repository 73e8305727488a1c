import { Entity, Index, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * 待查重: a registered order the repeat detector has not screened yet (recorded in its index, marked a repeat,
 * its hotspot updated). Written in the registration's transaction, so a committed order is never left unscreened;
 * deleted once screened. `claimedAt` is set by the process screening it, so that two processes never screen one
 * order at once; a claim older than a few minutes (the process died) may be taken over.
 */
@Entity('repeat_screening_pending')
@Index('IDX_repeat_screening_pending_queuedAt', ['queuedAt'])
export class RepeatScreeningPending {
  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @UtcDateTimeColumn()
  queuedAt: Date;

  @UtcDateTimeColumn({ nullable: true })
  claimedAt: Date | null;
}

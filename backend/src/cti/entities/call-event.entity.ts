import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import type { CtiEventType } from '../cti.enums';

/**
 * Every accepted CTI event, as received. The unique (callId, event) makes each event of a call count once: a
 * repeated one (a replay, a retry after a lost answer) is refused by the index, even when both arrive at once.
 */
@Entity('call_events')
@Index('UQ_call_events_callId_event', ['callId', 'event'], { unique: true })
export class CallEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 128 })
  callId: string;

  @Column({ type: 'varchar', length: 16 })
  event: CtiEventType;

  /** The event's body as JSON text (alike on both engines). */
  @Column({ type: 'text' })
  payload: string;

  /** When it happened at the source (the event's `at`). */
  @UtcDateTimeColumn()
  occurredAt: Date;

  @UtcDateTimeColumn()
  receivedAt: Date;
}

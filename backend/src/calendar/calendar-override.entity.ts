import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../database/columns';
import type { DayKind } from './day-kind';

/**
 * An admin's arrangement for one local date; it wins over the `chinese-days` data (docs/calendar.md). The date is
 * text 'YYYY-MM-DD' rather than a DATE column, so that both engines store, compare and return it alike (a DATE
 * would come back as a Date at midnight UTC on one engine and as text on the other).
 */
@Entity('calendar_overrides')
export class CalendarOverrideEntity extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_calendar_overrides_date', { unique: true })
  @Column({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DayKind;

  @Column({ type: 'varchar', length: 64, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ type: 'int' })
  createdById: number;

  @Column({ type: 'int' })
  updatedById: number;
}

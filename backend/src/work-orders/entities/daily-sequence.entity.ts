import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last work-order number handed out on a day (the center's local date, YYYYMMDD). */
@Entity('daily_sequences')
export class DailySequence {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  day: string;

  @Column({ type: 'int' })
  lastValue: number;
}

import { Entity, Index, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * The detector's candidate index: for each order, a few short keys — LSH bands of its text's MinHash, its place names
 * within its street, its caller. Orders that share a key with a new order within the window are its candidates;
 * the index lives in the database, so it works on SQLite and MariaDB and with several instances, and a process's
 * memory does not grow with the number of stored orders.
 */
@Entity('matter_keys')
@Index('IDX_matter_keys_key_createdAt', ['key', 'createdAt'])
@Index('IDX_matter_keys_workOrderId', ['workOrderId'])
export class MatterKey {
  @PrimaryColumn({ type: 'varchar', length: 48 })
  key: string;

  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @UtcDateTimeColumn()
  createdAt: Date;
}

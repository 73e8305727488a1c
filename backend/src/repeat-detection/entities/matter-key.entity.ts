import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The detector's candidate index: for each order, a few short keys — LSH bands of its text's MinHash, its place names
 * within its street, its caller. Orders that share a key with a new order within the window are its candidates;
 * the index lives in the database, so it works on SQLite and MariaDB and with several instances, and a process's
 * memory does not grow with the number of stored orders.
 *
 * The key is (key, createdAt, workOrderId), the order the detector reads it in — a key's newest orders from a time
 * (`key = ? AND createdAt >= ? ORDER BY createdAt DESC LIMIT n`) are one range of the table itself, and each order's
 * ≈ 30 keys are written into this one B-tree: nothing reads the keys by order (migration MatterKeysWithoutOrderIndex).
 */
@Entity('matter_keys')
export class MatterKey {
  @PrimaryColumn({ type: 'varchar', length: 48 })
  key: string;

  /** UTC, as UtcDateTimeColumn stores it (a key column of its own here). */
  @PrimaryColumn({ type: 'datetime', precision: 3 })
  createdAt: Date;

  @PrimaryColumn({ type: 'int' })
  workOrderId: number;
}

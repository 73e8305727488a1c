import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../database/columns';
import { WorkOrder } from '../work-orders/entities/work-order.entity';

/**
 * A file stored on disk (content-addressed by sha256). Uploaded first, then bound to an order
 * when the order is registered or replied to; an upload never bound expires after 24 hours.
 */
@Entity('attachments')
// The per-user upload quota sums a user's recent uploads.
@Index('IDX_attachments_uploadedById_createdAt', ['uploadedById', 'createdAt'])
export class Attachment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('IDX_attachments_workOrderId')
  @Column({ type: 'int', nullable: true })
  workOrderId: number | null;

  @ManyToOne(() => WorkOrder, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder | null;

  /** Which step attached it: registration, reply, … (the timeline event's action). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  purpose: string | null;

  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 100 })
  mimeType: string;

  @Column({ type: 'int' })
  size: number;

  /** Several rows may share one stored file; expiry removes the file only when no row names its hash any more. */
  @Index('IDX_attachments_sha256')
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'int' })
  uploadedById: number;

  @UtcDateTimeColumn()
  createdAt: Date;
}

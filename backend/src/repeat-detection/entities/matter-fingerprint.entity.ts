import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { WorkOrder } from '../../work-orders/entities/work-order.entity';

/**
 * What the repeat detector remembers of one order (事项指纹): the matter it was put in, the facts it compares
 * (caller, place, category, request type, time) and its text and place features as JSON. A new order is compared
 * with the fingerprints its index keys lead to (matter_keys), never with the orders' text.
 */
@Entity('matter_fingerprints')
// The caller too, so that a matter's orders and callers in a window are counted from the index alone (a busy matter
// has thousands of orders; RepeatDetector.record and the hotspot count them at every registration).
@Index('IDX_matter_fingerprints_matter_time_caller', ['matterId', 'createdAt', 'citizenPhone'])
// A caller's orders of a matter by time, found without reading the matter's others: the caller's first order of the
// matter (a repeat's original) and whether a caller was counted already (the hotspot's count as it grows).
@Index('IDX_matter_fingerprints_matter_caller_time', ['matterId', 'citizenPhone', 'createdAt'])
export class MatterFingerprint {
  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @OneToOne(() => WorkOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  /** The matter (事项): the id of its first order. Orders the detector finds to be about the same matter share it. */
  @Column({ type: 'int' })
  matterId: number;

  @UtcDateTimeColumn()
  createdAt: Date;

  @Column({ type: 'varchar', length: 32, nullable: true })
  citizenPhone: string | null;

  @Column({ type: 'int', nullable: true })
  districtUnitId: number | null;

  @Column({ type: 'int', nullable: true })
  streetUnitId: number | null;

  @Column({ type: 'int' })
  categoryId: number;

  @Column({ type: 'varchar', length: 16 })
  requestType: string;

  /** JSON of MatterFeatures (matter-features.ts), versioned. */
  @Column({ type: 'text' })
  features: string;
}

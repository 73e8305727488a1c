import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../categories/category.entity';
import { TimestampedEntity } from '../database/columns';
import type { RequestType, Urgency } from '../work-orders/work-order.enums';
import type { LimitUnit } from './deadline-limits';

/**
 * One row of the time-limit table: the limits for a request type × urgency, or a category's override of them.
 * `scopeKey` (`complaint:normal:*`, `complaint:normal:12`) is unique: a unique index over a nullable categoryId
 * would let both engines hold two "no category" rows.
 */
@Entity('deadline_rules')
export class DeadlineRule extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_deadline_rules_scopeKey', { unique: true })
  @Column({ type: 'varchar', length: 48 })
  scopeKey: string;

  @Column({ type: 'varchar', length: 16 })
  requestType: RequestType;

  @Column({ type: 'varchar', length: 16 })
  urgency: Urgency;

  @Column({ type: 'int', nullable: true })
  categoryId: number | null;

  @ManyToOne(() => Category, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'categoryId' })
  category?: Category | null;

  /** The center's dispatch limit, from registration. */
  @Column({ type: 'double' })
  dispatchAmount: number;

  @Column({ type: 'varchar', length: 16 })
  dispatchUnit: LimitUnit;

  /** Acceptance (签收), from dispatch. */
  @Column({ type: 'double' })
  acceptAmount: number;

  @Column({ type: 'varchar', length: 16 })
  acceptUnit: LimitUnit;

  /** First contact with the citizen, from dispatch. */
  @Column({ type: 'double' })
  contactAmount: number;

  @Column({ type: 'varchar', length: 16 })
  contactUnit: LimitUnit;

  /** The reply, from dispatch. */
  @Column({ type: 'double' })
  replyAmount: number;

  @Column({ type: 'varchar', length: 16 })
  replyUnit: LimitUnit;

  /** The reply of a reopened order, from the reopening. */
  @Column({ type: 'double' })
  reopenAmount: number;

  @Column({ type: 'varchar', length: 16 })
  reopenUnit: LimitUnit;

  /** How long after dispatch the unit may still return the order. */
  @Column({ type: 'double' })
  returnWindowAmount: number;

  @Column({ type: 'varchar', length: 16 })
  returnWindowUnit: LimitUnit;

  /** The most all approved extensions together may add to the reply deadline. */
  @Column({ type: 'double' })
  extensionCapAmount: number;

  @Column({ type: 'varchar', length: 16 })
  extensionCapUnit: LimitUnit;

  @Column({ type: 'int', nullable: true })
  updatedById: number | null;
}

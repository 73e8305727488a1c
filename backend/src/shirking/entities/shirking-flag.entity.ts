import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { Unit } from '../../units/unit.entity';
import { WorkOrder } from '../../work-orders/entities/work-order.entity';
import type { ShirkingRule } from '../shirking.enums';

/**
 * 推诿扯皮: one shirking rule that fired on one order (at most one row per order and rule). A later evaluation that
 * finds more of the same (a third return) updates `count` and `reasons`, and opens a resolved flag again.
 */
@Entity('shirking_flags')
@Index('UQ_shirking_flags_workOrderId_rule', ['workOrderId', 'rule'], { unique: true })
@Index('IDX_shirking_flags_flaggedAt_id', ['flaggedAt', 'id'])
@Index('IDX_shirking_flags_unitId_flaggedAt', ['unitId', 'flaggedAt'])
@Index('IDX_shirking_flags_rule_flaggedAt', ['rule', 'flaggedAt'])
// The assessment and the shirking report: flags raised in a period.
@Index('IDX_shirking_flags_createdAt', ['createdAt'])
export class ShirkingFlag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  workOrderId: number;

  @ManyToOne(() => WorkOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  /** The unit the flag is about (the one that returned it, got it back, accepted late, replied…); null when none is known. */
  @Column({ type: 'int', nullable: true })
  unitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unit?: Unit | null;

  @Column({ type: 'varchar', length: 32 })
  rule: ShirkingRule;

  /** How many times the rule's signal happened to the order (returns, bounces, rejections…) when last evaluated. */
  @Column({ type: 'int' })
  count: number;

  /** What the rule saw: e.g. `{returns: [{unitId, unitName, at, reasonCode}]}` (docs/shirking.md lists each rule's). */
  @Column({ type: 'simple-json' })
  reasons: Record<string, unknown>;

  /** When the rule first fired. */
  @UtcDateTimeColumn()
  createdAt: Date;

  /** When it first fired or last found more (the queue is ordered by it). */
  @UtcDateTimeColumn()
  flaggedAt: Date;

  /** A supervisor dealt with it (or a ruling settled a dispute flag); null while open. */
  @UtcDateTimeColumn({ nullable: true })
  resolvedAt: Date | null;

  /** Who resolved it (null: not resolved). */
  @Column({ type: 'int', nullable: true })
  resolvedById: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  resolution: string | null;
}

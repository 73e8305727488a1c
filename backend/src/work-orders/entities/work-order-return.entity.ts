import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { Unit } from '../../units/unit.entity';
import type { ReturnReason } from '../work-order.enums';
import { WorkOrder } from './work-order.entity';

/**
 * 退单: one return request of a lead unit, with its reason, the unit it suggests and the decision on it. The return
 * count per unit (for assessment, 推诿扯皮) is counted from here.
 */
@Entity('work_order_returns')
@Index('IDX_work_order_returns_unitId_requestedAt', ['unitId', 'requestedAt'])
// The shirking report and the assessment: every unit's returns of a period.
@Index('IDX_work_order_returns_requestedAt', ['requestedAt'])
export class WorkOrderReturn {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_work_order_returns_workOrderId')
  @Column({ type: 'int' })
  workOrderId: number;

  @ManyToOne(() => WorkOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  /** The unit that sent the order back (the lead unit at the time). */
  @Column({ type: 'int' })
  unitId: number;

  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unit?: Unit;

  @Column({ type: 'varchar', length: 32 })
  reasonCode: ReturnReason;

  @Column({ type: 'text' })
  reason: string;

  /** The unit the returning unit says is responsible, if it named one. */
  @Column({ type: 'int', nullable: true })
  suggestedUnitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'suggestedUnitId' })
  suggestedUnit?: Unit | null;

  @Column({ type: 'int' })
  requestedById: number;

  @UtcDateTimeColumn()
  requestedAt: Date;

  /** null while waiting; `approved` or `rejected` once decided. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  decision: 'approved' | 'rejected' | null;

  @UtcDateTimeColumn({ nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  decidedById: number | null;
}

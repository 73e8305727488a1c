import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import type { Role } from '../../users/role';
import type { TimelineAction, WorkOrderStatus } from '../work-order.enums';
import { WorkOrder } from './work-order.entity';

/**
 * One entry of an order's append-only timeline: who did what, when, why, from which status to which.
 * Rows are only ever inserted (the repository has no update or delete for them).
 */
@Entity('work_order_events')
@Index('IDX_work_order_events_workOrderId_id', ['workOrderId', 'id'])
export class WorkOrderEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  workOrderId: number;

  @ManyToOne(() => WorkOrder, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  @Column({ type: 'varchar', length: 32 })
  action: TimelineAction;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus: WorkOrderStatus | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  toStatus: WorkOrderStatus | null;

  /** Null for actions taken by the system (e.g. the deadline scheduler). */
  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole: Role | null;

  @Column({ type: 'int', nullable: true })
  unitId: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  unitName: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'simple-json', nullable: true })
  payload: Record<string, unknown> | null;

  @Index('IDX_work_order_events_createdAt')
  @UtcDateTimeColumn()
  createdAt: Date;
}

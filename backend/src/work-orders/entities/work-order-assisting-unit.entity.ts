import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { Unit } from '../../units/unit.entity';
import { WorkOrder } from './work-order.entity';

/** 协办单位: a unit that assists the lead unit on an order. */
@Entity('work_order_assisting_units')
// 协办逾期: the parts not submitted (repliedAt NULL) by due date.
@Index('IDX_work_order_assisting_units_repliedAt_dueAt', ['repliedAt', 'dueAt'])
// A unit's assisting rows newest order first: the assisting branch of a unit's list is one index range per unit.
@Index('IDX_work_order_assisting_units_unit_orderCreatedAt', ['unitId', 'orderCreatedAt', 'workOrderId'])
export class WorkOrderAssistingUnit {
  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @PrimaryColumn({ type: 'int' })
  unitId: number;

  @ManyToOne(() => WorkOrder, (w) => w.assistingUnits, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unit?: Unit;

  /**
   * The order's registration time (`work_orders.createdAt`, which never changes once the order is numbered), copied
   * here so that a unit's assisting rows can be read in the lists' default order without looking up every order.
   */
  @UtcDateTimeColumn()
  orderCreatedAt: Date;

  /** The assisting unit's own deadline for its part: the lead's reply deadline minus one working day, or as the dispatcher set it. */
  @UtcDateTimeColumn({ nullable: true })
  dueAt: Date | null;

  /** 协办意见: the assisting unit's part, as it last submitted it (each submission is on the timeline). */
  @Column({ type: 'text', nullable: true })
  reply: string | null;

  @UtcDateTimeColumn({ nullable: true })
  repliedAt: Date | null;

  @Column({ type: 'int', nullable: true })
  repliedById: number | null;

  /** Working minutes the first submission came after dueAt (null: on time, or not yet submitted). */
  @Column({ type: 'int', nullable: true })
  lateMinutes: number | null;
}

import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Unit } from '../../units/unit.entity';
import { WorkOrder } from './work-order.entity';

/** 协办单位: a unit that assists the lead unit on an order. */
@Entity('work_order_assisting_units')
export class WorkOrderAssistingUnit {
  @PrimaryColumn({ type: 'int' })
  workOrderId: number;

  @Index('IDX_work_order_assisting_units_unitId')
  @PrimaryColumn({ type: 'int' })
  unitId: number;

  @ManyToOne(() => WorkOrder, (w) => w.assistingUnits, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unit?: Unit;
}

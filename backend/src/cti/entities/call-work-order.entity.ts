import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { User } from '../../users/user.entity';
import { WorkOrder } from '../../work-orders/entities/work-order.entity';
import { Call } from './call.entity';

/** A work order registered during (or because of) a call. */
@Entity('call_work_orders')
@Index('UQ_call_work_orders_callRecordId_workOrderId', ['callRecordId', 'workOrderId'], { unique: true })
@Index('IDX_call_work_orders_workOrderId', ['workOrderId'])
export class CallWorkOrder {
  @PrimaryGeneratedColumn()
  id: number;

  /** calls.id (not the SIP Call-ID). */
  @Column({ type: 'int' })
  callRecordId: number;

  @ManyToOne(() => Call, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'callRecordId' })
  call?: Call;

  @Column({ type: 'int' })
  workOrderId: number;

  @ManyToOne(() => WorkOrder, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  @Column({ type: 'int' })
  linkedById: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'linkedById' })
  linkedBy?: User;

  @UtcDateTimeColumn()
  linkedAt: Date;
}

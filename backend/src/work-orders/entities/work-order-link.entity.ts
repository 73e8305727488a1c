import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { WorkOrder } from './work-order.entity';

/** 关联: two orders marked as related. Stored once, with the lower id first. */
@Entity('work_order_links')
@Index('UQ_work_order_links_pair', ['lowerWorkOrderId', 'higherWorkOrderId'], { unique: true })
export class WorkOrderLink {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  lowerWorkOrderId: number;

  @ManyToOne(() => WorkOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lowerWorkOrderId' })
  lowerWorkOrder?: WorkOrder;

  @Index('IDX_work_order_links_higher')
  @Column({ type: 'int' })
  higherWorkOrderId: number;

  @ManyToOne(() => WorkOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'higherWorkOrderId' })
  higherWorkOrder?: WorkOrder;

  @Column({ type: 'int' })
  createdById: number;

  @UtcDateTimeColumn()
  createdAt: Date;
}

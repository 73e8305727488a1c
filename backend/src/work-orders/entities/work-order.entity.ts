import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../../categories/category.entity';
import { TimestampedEntity, UtcDateTimeColumn } from '../../database/columns';
import { Unit } from '../../units/unit.entity';
import type { Channel, RequestType, Satisfaction, Urgency, WorkOrderStatus } from '../work-order.enums';
import { WorkOrderAssistingUnit } from './work-order-assisting-unit.entity';

/** 工单: one citizen request from registration to closing. */
@Entity('work_orders')
@Index('IDX_work_orders_leadUnitId_status', ['leadUnitId', 'status'])
@Index('IDX_work_orders_status_createdAt', ['status', 'createdAt'])
export class WorkOrder extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** YYYYMMDD (center's local date) + 6-digit daily sequence; older numbers have 5 digits and are kept (see WorkOrderNumbers). */
  @Index('UQ_work_orders_number', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  number: string;

  @Index('IDX_work_orders_parentId')
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  @ManyToOne(() => WorkOrder, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parentId' })
  parent?: WorkOrder | null;

  @Index('IDX_work_orders_mergedIntoId')
  @Column({ type: 'int', nullable: true })
  mergedIntoId: number | null;

  @ManyToOne(() => WorkOrder, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'mergedIntoId' })
  mergedInto?: WorkOrder | null;

  @Column({ type: 'varchar', length: 16 })
  requestType: RequestType;

  @Column({ type: 'varchar', length: 16 })
  urgency: Urgency;

  @Column({ type: 'varchar', length: 16 })
  channel: Channel;

  @Column({ type: 'varchar', length: 20 })
  status: WorkOrderStatus;

  /** Where the order returns to on unmerge / resume. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  statusBeforeMerge: WorkOrderStatus | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  statusBeforeSuspension: WorkOrderStatus | null;

  @UtcDateTimeColumn({ nullable: true })
  suspendedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  citizenName: string | null;

  @Index('IDX_work_orders_citizenPhone')
  @Column({ type: 'varchar', length: 32, nullable: true })
  citizenPhone: string | null;

  /** 保密: the citizen asked that units do not see their name and phone. */
  @Column({ type: 'boolean', default: false })
  citizenConfidential: boolean;

  @Column({ type: 'varchar', length: 255 })
  address: string;

  @Column({ type: 'int', nullable: true })
  districtUnitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'districtUnitId' })
  districtUnit?: Unit | null;

  @Column({ type: 'int', nullable: true })
  streetUnitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'streetUnitId' })
  streetUnit?: Unit | null;

  @Column({ type: 'double', nullable: true })
  latitude: number | null;

  @Column({ type: 'double', nullable: true })
  longitude: number | null;

  @Index('IDX_work_orders_categoryId')
  @Column({ type: 'int' })
  categoryId: number;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'categoryId' })
  category?: Category;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'int', nullable: true })
  leadUnitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'leadUnitId' })
  leadUnit?: Unit | null;

  @OneToMany(() => WorkOrderAssistingUnit, (a) => a.workOrder)
  assistingUnits?: WorkOrderAssistingUnit[];

  @Column({ type: 'int' })
  registeredById: number;

  @UtcDateTimeColumn({ nullable: true })
  dispatchedAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  acceptDueAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  replyDueAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  acceptedAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  firstContactAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  repliedAt: Date | null;

  /** The department's reply to the citizen (or the agent's answer on a directly resolved order). */
  @Column({ type: 'text', nullable: true })
  reply: string | null;

  @UtcDateTimeColumn({ nullable: true })
  calledBackAt: Date | null;

  @Column({ type: 'boolean', nullable: true })
  resolved: boolean | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  satisfaction: Satisfaction | null;

  @UtcDateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  returnCount: number;

  @Column({ type: 'int', default: 0 })
  reopenCount: number;

  @Column({ type: 'int', default: 0 })
  reminderCount: number;

  @Column({ type: 'boolean', default: false })
  supervised: boolean;

  /** A pending extension request (延期申请): the due date asked for, and why. */
  @UtcDateTimeColumn({ nullable: true })
  extensionRequestedDueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  extensionReason: string | null;

  /** Optimistic lock: every change must name the version it read. */
  @Column({ type: 'int', default: 1 })
  version: number;

}

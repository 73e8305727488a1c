import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../../categories/category.entity';
import { TimestampedEntity, UtcDateTimeColumn } from '../../database/columns';
import { Unit } from '../../units/unit.entity';
import { User } from '../../users/user.entity';
import type { CallbackOutcome, Channel, InvalidReason, RequestType, Satisfaction, Urgency, WarningLevel, WorkOrderStatus } from '../work-order.enums';
import { WorkOrderAssistingUnit } from './work-order-assisting-unit.entity';

/** The IVR survey of a call, as an order records it (WorkOrder.callSurvey). */
export interface CallSurveyRecord {
  rating: Satisfaction;
  /** The key pressed: 1, 2 or 3. */
  digit: string;
  /** The call's SIP Call-ID (or the PBX's id). */
  callId: string;
  /** UTC ISO date-time the caller pressed the key. */
  ratedAt: string;
}

/** 工单: one citizen request from registration to closing. */
@Entity('work_orders')
// The lists (see list/work-order-list.repository.ts) read every order they offer from one of these ranges: each sort
// column with id, and the same per lead unit; status, urgency, warning level and category followed by time.
@Index('IDX_work_orders_createdAt_id', ['createdAt', 'id'])
@Index('IDX_work_orders_updatedAt_id', ['updatedAt', 'id'])
@Index('IDX_work_orders_replyDueAt_id', ['replyDueAt', 'id'])
@Index('IDX_work_orders_acceptDueAt_id', ['acceptDueAt', 'id'])
// A unit's staff searching a word: its own orders among the newest ids (WorkOrderListRepository.idsContaining).
@Index('IDX_work_orders_leadUnitId_id', ['leadUnitId', 'id'])
// A caller's orders newest first (the list's phone filter, the screen pop): a frequent caller has thousands.
@Index('IDX_work_orders_citizenPhone_createdAt_id', ['citizenPhone', 'createdAt', 'id'])
@Index('IDX_work_orders_leadUnitId_createdAt_id', ['leadUnitId', 'createdAt', 'id'])
@Index('IDX_work_orders_leadUnitId_updatedAt_id', ['leadUnitId', 'updatedAt', 'id'])
@Index('IDX_work_orders_leadUnitId_replyDueAt_id', ['leadUnitId', 'replyDueAt', 'id'])
@Index('IDX_work_orders_leadUnitId_acceptDueAt_id', ['leadUnitId', 'acceptDueAt', 'id'])
@Index('IDX_work_orders_leadUnitId_status_createdAt_id', ['leadUnitId', 'status', 'createdAt', 'id'])
@Index('IDX_work_orders_leadUnitId_urgency_createdAt_id', ['leadUnitId', 'urgency', 'createdAt', 'id'])
@Index('IDX_work_orders_status_createdAt', ['status', 'createdAt'])
// The queues: one status (待签收, 办理中 …) by a deadline, of all units and of one.
@Index('IDX_work_orders_status_acceptDueAt_id', ['status', 'acceptDueAt', 'id'])
@Index('IDX_work_orders_status_replyDueAt_id', ['status', 'replyDueAt', 'id'])
@Index('IDX_work_orders_leadUnitId_status_acceptDueAt_id', ['leadUnitId', 'status', 'acceptDueAt', 'id'])
@Index('IDX_work_orders_leadUnitId_status_replyDueAt_id', ['leadUnitId', 'status', 'replyDueAt', 'id'])
@Index('IDX_work_orders_urgency_createdAt_id', ['urgency', 'createdAt', 'id'])
@Index('IDX_work_orders_warningLevel_createdAt_id', ['warningLevel', 'createdAt', 'id'])
@Index('IDX_work_orders_categoryId_createdAt_id', ['categoryId', 'createdAt', 'id'])
@Index('IDX_work_orders_channel_createdAt_id', ['channel', 'createdAt', 'id'])
@Index('IDX_work_orders_requestType_createdAt_id', ['requestType', 'createdAt', 'id'])
@Index('IDX_work_orders_deadlineCheckAt_id', ['deadlineCheckAt', 'id'])
// 办结: the orders closed in a period (the dashboard's trend, its drill-down list).
@Index('IDX_work_orders_closedAt_id', ['closedAt', 'id'])
// The daily statistics (reports/statistics): its consistency check and the reports' drill-downs read one day's orders by each time.
@Index('IDX_work_orders_dispatchedAt', ['dispatchedAt'])
@Index('IDX_work_orders_acceptedAt', ['acceptedAt'])
@Index('IDX_work_orders_repliedAt', ['repliedAt'])
@Index('IDX_work_orders_calledBackAt', ['calledBackAt'])
// The shirking report: rulings (裁定) made in a period.
@Index('IDX_work_orders_ruledAt', ['ruledAt'])
@Index('IDX_work_orders_assigneeId_status', ['assigneeId', 'status'])
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

  /** 分派: the lead unit's handler its unit_admin gave the order to (null: not assigned inside the unit). */
  @Column({ type: 'int', nullable: true })
  assigneeId: number | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assigneeId' })
  assignee?: User | null;

  /** 无效工单: why the center marked the order invalid (set while status is `invalid`). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  invalidReason: InvalidReason | null;

  @Column({ type: 'int' })
  registeredById: number;

  @UtcDateTimeColumn({ nullable: true })
  dispatchedAt: Date | null;

  /** The center must dispatch by (set at registration; see DeadlinePolicy and docs/lifecycle.md "Deadlines"). */
  @UtcDateTimeColumn({ nullable: true })
  dispatchDueAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  acceptDueAt: Date | null;

  /** First contact with the citizen by (from dispatch). */
  @UtcDateTimeColumn({ nullable: true })
  contactDueAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  replyDueAt: Date | null;

  /** The last moment the unit may return (退单) the order; after it the unit is responsible (首接负责). */
  @UtcDateTimeColumn({ nullable: true })
  returnDeadlineAt: Date | null;

  /** When the running reply limit started (dispatch or reopen): the warning rule measures "25 % left" from here. */
  @UtcDateTimeColumn({ nullable: true })
  replyClockStartedAt: Date | null;

  /** Total working minutes of approved extensions; never more than the rule's extension cap. */
  @Column({ type: 'int', default: 0 })
  extensionApprovedMinutes: number;

  /** Lateness recorded when the late step happens (working minutes late), so statistics never recompute history. */
  @Column({ type: 'int', nullable: true })
  acceptLateMinutes: number | null;

  @Column({ type: 'int', nullable: true })
  contactLateMinutes: number | null;

  @Column({ type: 'int', nullable: true })
  replyLateMinutes: number | null;

  /** 'none' | 'yellow' | 'red': the level of the order's running deadlines (the scheduler sets it). */
  @Column({ type: 'varchar', length: 8, default: 'none' })
  warningLevel: WarningLevel;

  /** 0 none … 5 (see the escalation scheduler); transitions reset it to 0 when a new deadline starts. */
  @Column({ type: 'int', default: 0 })
  escalationStage: number;

  /** When the scheduler must look at this order next; null while no deadline runs. */
  @UtcDateTimeColumn({ nullable: true })
  deadlineCheckAt: Date | null;

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

  /**
   * 来电满意度: the post-call IVR survey (key 1/2/3) of the latest call linked to the order that was rated — the caller's
   * verdict on the call, recorded by the system (cti/). Not the callback's `satisfaction`, which rates the handling and
   * drives the assessment's satisfaction rate.
   */
  @Column({ type: 'simple-json', nullable: true })
  callSurvey: CallSurveyRecord | null;

  /** How the last callback round ended (resolved, unresolved, dissatisfied, unreachable, declined, not_required). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  callbackOutcome: CallbackOutcome | null;

  /** Unanswered callback attempts of the current round that count towards "unreachable" (each ≥ the gap after the last). */
  @Column({ type: 'int', default: 0 })
  callbackAttemptCount: number;

  @UtcDateTimeColumn({ nullable: true })
  lastCallbackAttemptAt: Date | null;

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

  /** 重复件: the earlier order (the matter's first) this one repeats — the same caller about the same matter. */
  @Index('IDX_work_orders_repeatOfId')
  @Column({ type: 'int', nullable: true })
  repeatOfId: number | null;

  /** On an original order: how many repeats of it have been registered. */
  @Column({ type: 'int', default: 0 })
  repeatCount: number;

  /** A pending extension request (延期申请): the due date asked for, and why. */
  @UtcDateTimeColumn({ nullable: true })
  extensionRequestedDueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  extensionReason: string | null;

  /** Optimistic lock: every change must name the version it read. */
  @Column({ type: 'int', default: 1 })
  version: number;

  /** 争议件: returned repeatedly or bounced between units (set by the shirking rules, docs/shirking.md); a supervisor rules it. */
  @Column({ type: 'boolean', default: false })
  disputed: boolean;

  /** 裁定: the lead unit the center ruled the order to; that unit may not return it (null: never ruled). */
  @Column({ type: 'int', nullable: true })
  ruledUnitId: number | null;

  @UtcDateTimeColumn({ nullable: true })
  ruledAt: Date | null;

}

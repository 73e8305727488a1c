import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AttachmentResponse } from '../../attachments/dto/attachment.response';
import { PageResponse } from '../../common/page.response';
import { SimilarOrderResponse } from '../../repeat-detection/dto/similar-order.response';
import type { Page } from '../../common/pagination';
import { ROLE_SCHEMA } from '../../users/dto/user.response';
import type { Role } from '../../users/role';
import {
  CALLBACK_OUTCOMES,
  INVALID_REASONS,
  RETURN_REASONS,
  WARNING_LEVELS,
  type ReturnReason,
  type CallbackOutcome,
  type InvalidReason,
  type Channel, type RequestType, type Satisfaction, type TimelineAction, type Urgency, type WarningLevel, type WorkOrderAction, type WorkOrderStatus } from '../work-order.enums';
import type { CallSurveyRecord } from '../entities/work-order.entity';
import type { RegisteredWorkOrderView } from '../work-orders.service';
import type { AssistingPartView, TimelineEventView, UnitRef, UserRef, WorkOrderDetailView, WorkOrderReturnView, WorkOrderSummaryView, WorkOrderView } from '../work-order.view';
import { DEADLINE_CLOCKS, DEADLINE_KINDS, type DeadlineClock, type DeadlineKind, type WorkOrderDeadlineView } from '../work-order-deadlines.view';
import {
  CHANNEL_SCHEMA,
  REQUEST_TYPE_SCHEMA,
  SATISFACTION_SCHEMA,
  TIMELINE_ACTION_SCHEMA,
  URGENCY_SCHEMA,
  WORK_ORDER_ACTION_SCHEMA,
  WORK_ORDER_STATUS_SCHEMA,
} from './work-order-enum.schemas';

// Each class `implements` the view the service builds, so a field added to the view (or the entity
// behind it) fails to compile until it is described here; openapi.int-spec.ts checks the other direction.

const dateTime = { type: String, format: 'date-time' } as const;
const nullableDateTime = { ...dateTime, nullable: true } as const;

export class UnitRefResponse implements UnitRef {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'cgj' })
  code: string;

  @ApiProperty({ example: '云川市城市管理局' })
  name: string;
}

/** 协办: an assisting unit and its part of the handling. */
export class AssistingPartResponse extends UnitRefResponse implements AssistingPartView {
  @ApiProperty({ ...nullableDateTime, description: "When the part is due: one working day before the lead unit's reply deadline, or as the dispatcher set it" })
  dueAt: Date | null;

  @ApiProperty({ type: String, nullable: true, description: '协办意见 as last submitted; null while not submitted (未提交)' })
  reply: string | null;

  @ApiProperty(nullableDateTime)
  repliedAt: Date | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working minutes the first submission came after dueAt' })
  lateMinutes: number | null;

  @ApiProperty({ description: 'Not submitted and past its due date now' })
  overdue: boolean;
}

/** 分派: the user an order is assigned to. */
export class UserRefResponse implements UserRef {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '城管局承办人' })
  displayName: string;
}

export class WorkOrderCategoryResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '路灯' })
  name: string;

  @ApiProperty({ example: '城乡建设/市政设施/路灯', description: 'Names from the root of the category tree' })
  path: string;
}

/** 来电满意度: the IVR survey after a call linked to the order (docs/cti.md "The survey"). */
export class WorkOrderCallSurveyResponse implements CallSurveyRecord {
  @ApiProperty({ ...SATISFACTION_SCHEMA })
  rating: Satisfaction;

  @ApiProperty({ example: '1', description: 'The key pressed: 1 satisfied, 2 basically satisfied, 3 dissatisfied' })
  digit: string;

  @ApiProperty({ example: 'a84b4c76e66710@pbx.example', description: 'The call (its SIP Call-ID or the PBX’s id)' })
  callId: string;

  @ApiProperty({ ...dateTime, description: 'When the caller pressed the key' })
  ratedAt: string;
}

/** A work order as lists show it; the detail adds its timeline, files and related orders. */
export class WorkOrderResponse implements WorkOrderView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '20261122000001', description: 'YYYYMMDD (the center’s local date) + 6-digit daily sequence; numbers from before the sixth digit keep 5 (13 characters)' })
  number: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The parent order of a sub-dispatched (下派) child order' })
  parentId: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The order this one is merged into (合并)' })
  mergedIntoId: number | null;

  @ApiProperty(REQUEST_TYPE_SCHEMA)
  requestType: RequestType;

  @ApiProperty(URGENCY_SCHEMA)
  urgency: Urgency;

  @ApiProperty(CHANNEL_SCHEMA)
  channel: Channel;

  @ApiProperty(WORK_ORDER_STATUS_SCHEMA)
  status: WorkOrderStatus;

  @ApiProperty(nullableDateTime)
  suspendedAt: Date | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null when the order is confidential (保密) and the caller may not read citizen contacts' })
  citizenName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Masked (138****1234) for callers who may not read citizen contacts; null on a confidential order' })
  citizenPhone: string | null;

  @ApiProperty({ description: '保密: the citizen asked that units do not see their name and phone' })
  citizenConfidential: boolean;

  @ApiProperty()
  address: string;

  @ApiProperty({ type: 'integer', nullable: true })
  districtUnitId: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  streetUnitId: number | null;

  @ApiProperty({ type: 'number', format: 'double', nullable: true })
  latitude: number | null;

  @ApiProperty({ type: 'number', format: 'double', nullable: true })
  longitude: number | null;

  @ApiProperty({ type: 'integer' })
  categoryId: number;

  @ApiProperty({ type: WorkOrderCategoryResponse, nullable: true })
  category: WorkOrderCategoryResponse | null;

  @ApiProperty()
  title: string;

  @ApiProperty()
  content: string;

  @ApiProperty({ type: 'integer', nullable: true })
  leadUnitId: number | null;

  @ApiProperty({ type: UnitRefResponse, nullable: true, description: '主办单位' })
  leadUnit: UnitRefResponse | null;

  @ApiProperty({ type: [AssistingPartResponse], description: '协办单位 with their parts, by id; the lead and every assisting unit see all parts' })
  assistingUnits: AssistingPartResponse[];

  @ApiProperty({ type: 'integer' })
  registeredById: number;

  @ApiProperty(nullableDateTime)
  dispatchedAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'The center must dispatch by (from registration)' })
  dispatchDueAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'The unit must accept (签收) by (from dispatch)' })
  acceptDueAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'First contact with the citizen by (from dispatch)' })
  contactDueAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'Reply by (from dispatch or reopening; moved by suspension and approved extensions)' })
  replyDueAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'The last moment the unit may return (退单) the order' })
  returnDeadlineAt: Date | null;

  @ApiProperty({ ...nullableDateTime, description: 'When the running reply limit started (dispatch or reopening)' })
  replyClockStartedAt: Date | null;

  @ApiProperty({ type: 'integer', description: 'Total working minutes of approved extensions (capped by the rule)' })
  extensionApprovedMinutes: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working minutes the acceptance was late, recorded when it happened' })
  acceptLateMinutes: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working minutes the first contact was late' })
  contactLateMinutes: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Working minutes the reply was late' })
  replyLateMinutes: number | null;

  @ApiProperty({ enum: WARNING_LEVELS, enumName: 'WarningLevel', description: 'yellow: little time left on a running deadline; red: overdue' })
  warningLevel: WarningLevel;

  @ApiProperty({ type: 'integer', description: '0 none, 1 reminded, 2 overdue, 3 supervised automatically, 4 and 5 escalated' })
  escalationStage: number;

  @ApiProperty({ ...nullableDateTime, description: 'When the deadline scheduler looks at the order next; null while no deadline runs' })
  deadlineCheckAt: Date | null;

  @ApiProperty(nullableDateTime)
  acceptedAt: Date | null;

  @ApiProperty(nullableDateTime)
  firstContactAt: Date | null;

  @ApiProperty(nullableDateTime)
  repliedAt: Date | null;

  @ApiProperty({ type: String, nullable: true, description: 'The unit’s reply to the citizen, or the agent’s answer on a directly resolved order' })
  reply: string | null;

  @ApiProperty(nullableDateTime)
  calledBackAt: Date | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'The citizen’s verdict at the callback (回访)' })
  resolved: boolean | null;

  @ApiProperty({ ...SATISFACTION_SCHEMA, nullable: true })
  satisfaction: Satisfaction | null;

  @ApiProperty({
    type: WorkOrderCallSurveyResponse,
    nullable: true,
    description: '来电满意度: the IVR survey of the latest rated call linked to the order (system-recorded); not the callback’s satisfaction, which rates the handling',
  })
  callSurvey: WorkOrderCallSurveyResponse | null;

  @ApiProperty({ enum: CALLBACK_OUTCOMES, enumName: 'CallbackOutcome', nullable: true, description: 'How the last callback round ended' })
  callbackOutcome: CallbackOutcome | null;

  @ApiProperty({ type: 'integer', description: 'Unanswered callback attempts of this round that count towards "unreachable"' })
  callbackAttemptCount: number;

  @ApiProperty(nullableDateTime)
  lastCallbackAttemptAt: Date | null;

  @ApiProperty(nullableDateTime)
  closedAt: Date | null;

  @ApiProperty({ type: 'integer' })
  returnCount: number;

  @ApiProperty({ type: 'integer' })
  reopenCount: number;

  @ApiProperty({ type: 'integer' })
  reminderCount: number;

  @ApiProperty({ description: '督办: formally escalated' })
  supervised: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: '重复件: the earlier order (the first of the matter) this one repeats — same caller, same matter' })
  repeatOfId: number | null;

  @ApiProperty({ type: 'integer', description: 'On an original order: how many repeats of it have been registered' })
  repeatCount: number;

  @ApiProperty({ description: '争议件: returned repeatedly or bounced between units (the shirking rules, docs/shirking.md); a supervisor rules it (`rule`)' })
  disputed: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: '裁定: the lead unit the center ruled the order to; that unit cannot return it' })
  ruledUnitId: number | null;

  @ApiProperty({ ...nullableDateTime, description: 'When the center ruled the order (裁定)' })
  ruledAt: Date | null;

  @ApiProperty({ type: 'integer', nullable: true, description: '分派: the handler of the lead unit the order is assigned to' })
  assigneeId: number | null;

  @ApiProperty({ type: UserRefResponse, nullable: true, description: '分派: the assignee, by name' })
  assignee: UserRefResponse | null;

  @ApiProperty({ enum: INVALID_REASONS, enumName: 'InvalidReason', nullable: true, description: '无效工单: why the order was marked invalid' })
  invalidReason: InvalidReason | null;

  @ApiProperty({ ...nullableDateTime, description: 'The due date a pending extension request (延期申请) asks for' })
  extensionRequestedDueAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  extensionReason: string | null;

  @ApiProperty({ type: 'integer', description: 'Send it back with every action (optimistic lock)' })
  version: number;

  @ApiProperty(dateTime)
  createdAt: Date;

  @ApiProperty(dateTime)
  updatedAt: Date;
}

/**
 * Another order named by this one: its parent, children, linked or merged orders. If the caller may not open
 * that order, only `id` and `accessible: false` are sent.
 */
export class WorkOrderSummaryResponse implements WorkOrderSummaryView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ description: 'False: an order the caller may not open; then nothing but its id is sent' })
  accessible: boolean;

  @ApiPropertyOptional({ description: 'Only when accessible' })
  number?: string;

  @ApiPropertyOptional({ description: 'Only when accessible' })
  title?: string;

  @ApiPropertyOptional(WORK_ORDER_STATUS_SCHEMA)
  status?: WorkOrderStatus;

  @ApiPropertyOptional({ type: UnitRefResponse, nullable: true, description: 'Only when accessible' })
  leadUnit?: UnitRefResponse | null;

  @ApiPropertyOptional({ ...nullableDateTime, description: 'Only when accessible' })
  replyDueAt?: Date | null;
}

/** One entry of an order's append-only timeline: who did what, when, why, from which status to which. */
export class TimelineEventResponse implements TimelineEventView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  workOrderId: number;

  @ApiProperty(TIMELINE_ACTION_SCHEMA)
  action: TimelineAction;

  @ApiProperty({ ...WORK_ORDER_STATUS_SCHEMA, nullable: true })
  fromStatus: WorkOrderStatus | null;

  @ApiProperty({ ...WORK_ORDER_STATUS_SCHEMA, nullable: true })
  toStatus: WorkOrderStatus | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Null for actions taken by the system' })
  actorId: number | null;

  @ApiProperty({ type: String, nullable: true })
  actorName: string | null;

  @ApiProperty({ ...ROLE_SCHEMA, nullable: true })
  actorRole: Role | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The actor’s unit' })
  unitId: number | null;

  @ApiProperty({ type: String, nullable: true })
  unitName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The reason, note, instruction or message given with the action' })
  reason: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Action-specific facts, e.g. the lead unit and deadlines of a dispatch, or the target of a merge. Where it names another order the caller may not open, only that order’s id is kept (its number and unit are left out)',
  })
  payload: Record<string, unknown> | null;

  @ApiProperty(dateTime)
  createdAt: Date;
}

/** One deadline of the order with what is left of it: the console's coloured countdown. */
export class WorkOrderDeadlineResponse implements WorkOrderDeadlineView {
  @ApiProperty({ enum: DEADLINE_KINDS, enumName: 'DeadlineKind', description: 'dispatch (by the center), accept (签收), contact (first contact), reply, return (the return window, 退单)' })
  kind: DeadlineKind;

  @ApiProperty(dateTime)
  dueAt: Date;

  @ApiProperty({ description: 'Whether it runs in the order’s status; a suspended order’s deadlines stand still' })
  running: boolean;

  @ApiProperty({ enum: DEADLINE_CLOCKS, enumName: 'DeadlineClock', description: 'working: office minutes count; calendar: every minute (calendar-hour limits)' })
  clock: DeadlineClock;

  @ApiProperty({ type: 'integer', description: 'Whole minutes left on `clock` (working minutes for working-time limits), negative when overdue; from the suspension while suspended' })
  remainingWorkingMinutes: number;

  @ApiProperty({ enum: WARNING_LEVELS, enumName: 'WarningLevel', description: 'none for a deadline that does not run' })
  level: WarningLevel;
}

/** GET /api/work-orders/{id} and the answer to every action: the order as the caller may see it now. */
@ApiSchema({ description: 'A work order with its timeline, files and related orders, and `allowedActions`: what the caller may do now, in lifecycle order' })
export class WorkOrderReturnResponse implements WorkOrderReturnView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: UnitRefResponse, nullable: true, description: 'The unit that sent the order back' })
  unit: UnitRefResponse | null;

  @ApiProperty({ enum: RETURN_REASONS, enumName: 'ReturnReason' })
  reasonCode: ReturnReason;

  @ApiProperty()
  reason: string;

  @ApiProperty({ type: UnitRefResponse, nullable: true, description: 'The unit the returning unit named as responsible' })
  suggestedUnit: UnitRefResponse | null;

  @ApiProperty(dateTime)
  requestedAt: Date;

  @ApiProperty({ enum: ['approved', 'rejected'], nullable: true, description: 'null while waiting for the decision' })
  decision: 'approved' | 'rejected' | null;

  @ApiProperty(nullableDateTime)
  decidedAt: Date | null;
}

export class WorkOrderDetailResponse extends WorkOrderResponse implements WorkOrderDetailView {
  @ApiProperty({ type: [TimelineEventResponse], description: 'Oldest first' })
  timeline: TimelineEventResponse[];

  // No description here: it would become the description of the shared WorkOrderAction schema.
  @ApiProperty({ ...WORK_ORDER_ACTION_SCHEMA, isArray: true })
  allowedActions: WorkOrderAction[];

  @ApiProperty({ type: [AttachmentResponse] })
  attachments: AttachmentResponse[];

  @ApiProperty({ type: WorkOrderSummaryResponse, nullable: true })
  parent: WorkOrderSummaryResponse | null;

  @ApiProperty({ type: [WorkOrderSummaryResponse], description: 'Sub-dispatched child orders (下派)' })
  children: WorkOrderSummaryResponse[];

  @ApiProperty({ type: [WorkOrderSummaryResponse], description: 'Orders marked as related (关联)' })
  linkedOrders: WorkOrderSummaryResponse[];

  @ApiProperty({ type: [WorkOrderSummaryResponse], description: 'Orders merged into this one (合并)' })
  mergedOrders: WorkOrderSummaryResponse[];

  @ApiProperty({ type: WorkOrderSummaryResponse, nullable: true, description: '重复件: the original this order repeats (repeatOfId), or null' })
  repeatOf: WorkOrderSummaryResponse | null;

  @ApiProperty({ type: [WorkOrderSummaryResponse], description: '重复件: the orders marked as repeats of this one, oldest first' })
  repeats: WorkOrderSummaryResponse[];

  @ApiProperty({ type: [WorkOrderDeadlineResponse], description: 'Every deadline the order has, in lifecycle order, with the time left' })
  deadlines: WorkOrderDeadlineResponse[];

  @ApiProperty({ type: [WorkOrderReturnResponse], description: '退单: the return requests of the order, oldest first' })
  returns: WorkOrderReturnResponse[];
}

export class WorkOrderPageResponse extends PageResponse implements Page<WorkOrderView> {
  @ApiProperty({ type: [WorkOrderResponse] })
  items: WorkOrderResponse[];

  @ApiProperty({ description: 'Whether `total` is exact; false: at least that many match ("10,000+"), counting stopped there' })
  totalExact: boolean;

  @ApiProperty({ description: 'Whether more orders follow this page' })
  hasMore: boolean;

  @ApiProperty({ type: 'string', nullable: true, description: 'Send as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}

/** POST /api/work-orders: the new order, and what the repeat detector found about its matter. */
export class RegisteredWorkOrderResponse extends WorkOrderDetailResponse implements RegisteredWorkOrderView {
  @ApiProperty({
    type: [SimilarOrderResponse],
    description:
      '重复件 / 多人反映: earlier orders about the same matter, best first (repeat and hotspot before similar): only those the caller may open. A repeat found here is already marked (repeatOf, timeline repeat-detected)',
  })
  similarOrders: SimilarOrderResponse[];
}

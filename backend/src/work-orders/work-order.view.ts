import type { AttachmentView } from '../attachments/attachments.service';
import type { WorkOrderAssistingUnit } from './entities/work-order-assisting-unit.entity';
import type { WorkOrderEvent } from './entities/work-order-event.entity';
import type { WorkOrderReturn } from './entities/work-order-return.entity';
import type { WorkOrder } from './entities/work-order.entity';
import type { WorkOrderAction } from './work-order.enums';
import type { WorkOrderDeadlineView } from './work-order-deadlines.view';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

/** 分派: the lead unit's user the order is assigned to. */
export interface UserRef {
  id: number;
  displayName: string;
}

/** 协办: an assisting unit and its part — every unit on the order (lead or assisting) sees all parts. */
export interface AssistingPartView extends UnitRef {
  /** When the part is due (one working day before the lead's reply by default, or as the dispatcher set it). */
  dueAt: Date | null;
  /** The part as last submitted; null while not submitted. */
  reply: string | null;
  repliedAt: Date | null;
  /** Working minutes the first submission came after dueAt (null: on time, or not submitted). */
  lateMinutes: number | null;
  /** Not submitted and past its due date now. */
  overdue: boolean;
}

/** The assisting units' parts, by unit id. */
export function assistingPartsOf(rows: readonly WorkOrderAssistingUnit[], now: Date): AssistingPartView[] {
  return rows
    .filter((row) => row.unit)
    .map((row) => ({
      ...(unitRef(row.unit) as UnitRef),
      dueAt: row.dueAt,
      reply: row.reply,
      repliedAt: row.repliedAt,
      lateMinutes: row.lateMinutes,
      overdue: row.repliedAt === null && row.dueAt !== null && now.getTime() > row.dueAt.getTime(),
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Another order named by this one. The caller may not be allowed to open it (a unit sees an order but not
 * always its parent, children, linked or merged orders): then only its id and `accessible: false`.
 */
export interface WorkOrderSummaryView {
  id: number;
  accessible: boolean;
  number?: string;
  title?: string;
  status?: WorkOrder['status'];
  leadUnit?: UnitRef | null;
  replyDueAt?: Date | null;
}

export type WorkOrderView = Omit<
  WorkOrder,
  | 'parent'
  | 'mergedInto'
  | 'leadUnit'
  | 'category'
  | 'assistingUnits'
  | 'districtUnit'
  | 'streetUnit'
  | 'statusBeforeMerge'
  | 'statusBeforeSuspension'
  | 'assignee'
> & {
  category: { id: number; name: string; path: string } | null;
  leadUnit: UnitRef | null;
  assistingUnits: AssistingPartView[];
  assignee: UserRef | null;
};

export interface WorkOrderDetailView extends WorkOrderView {
  timeline: TimelineEventView[];
  allowedActions: WorkOrderAction[];
  attachments: AttachmentView[];
  parent: WorkOrderSummaryView | null;
  children: WorkOrderSummaryView[];
  linkedOrders: WorkOrderSummaryView[];
  mergedOrders: WorkOrderSummaryView[];
  /** 重复件: the original this order repeats (repeatOfId), or null. */
  repeatOf: WorkOrderSummaryView | null;
  /** 重复件: the orders marked as repeats of this one, oldest first. */
  repeats: WorkOrderSummaryView[];
  deadlines: WorkOrderDeadlineView[];
  returns: WorkOrderReturnView[];
}

/** 退单: one return request as the order shows it. */
export interface WorkOrderReturnView {
  id: number;
  unit: UnitRef | null;
  reasonCode: WorkOrderReturn['reasonCode'];
  reason: string;
  suggestedUnit: UnitRef | null;
  requestedAt: Date;
  decision: WorkOrderReturn['decision'];
  decidedAt: Date | null;
}

export function toReturnView(row: WorkOrderReturn): WorkOrderReturnView {
  return {
    id: row.id,
    unit: unitRef(row.unit),
    reasonCode: row.reasonCode,
    reason: row.reason,
    suggestedUnit: unitRef(row.suggestedUnit),
    requestedAt: row.requestedAt,
    decision: row.decision,
    decidedAt: row.decidedAt,
  };
}

export type TimelineEventView = Omit<WorkOrderEvent, 'workOrder'>;

/** 138****1234 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function unitRef(unit: { id: number; code: string; name: string } | null | undefined): UnitRef | null {
  return unit ? { id: unit.id, code: unit.code, name: unit.name } : null;
}

export function toSummaryView(order: WorkOrder, accessible: boolean): WorkOrderSummaryView {
  if (!accessible) return { id: order.id, accessible: false };
  return {
    id: order.id,
    accessible: true,
    number: order.number,
    title: order.title,
    status: order.status,
    leadUnit: unitRef(order.leadUnit),
    replyDueAt: order.replyDueAt,
  };
}

/**
 * Payload fields that name another order: the id is kept, the fields after it (its number, the unit it went
 * to) are dropped when the caller may not open that order.
 */
const ORDER_REFERENCES: readonly { id: string; describedBy: readonly string[] }[] = [
  { id: 'targetId', describedBy: ['targetNumber'] },
  { id: 'mergedWorkOrderId', describedBy: ['mergedNumber'] },
  { id: 'unmergedWorkOrderId', describedBy: ['unmergedNumber'] },
  { id: 'formerTargetId', describedBy: [] },
  { id: 'childId', describedBy: ['childNumber', 'unitName'] },
  { id: 'parentId', describedBy: ['parentNumber'] },
  // 重复件 (repeat-detected, mark-repeat / repeat-received, unmark-repeat): the original, and the repeat it received.
  { id: 'repeatOfId', describedBy: ['repeatOfNumber', 'reasonText'] },
  { id: 'repeatWorkOrderId', describedBy: ['repeatNumber', 'reasonText'] },
  { id: 'formerRepeatOfId', describedBy: ['formerRepeatOfNumber'] },
];

/** The ids of other orders a timeline payload names. */
export function referencedOrderIds(payload: Record<string, unknown> | null): number[] {
  if (!payload) return [];
  return ORDER_REFERENCES.map((ref) => payload[ref.id]).filter((v): v is number => typeof v === 'number');
}

/** The payload without what it says about orders the caller cannot open. */
export function redactPayload(payload: Record<string, unknown> | null, accessible: (id: number) => boolean): Record<string, unknown> | null {
  if (!payload) return payload;
  let redacted: Record<string, unknown> | null = null;
  for (const ref of ORDER_REFERENCES) {
    const other = payload[ref.id];
    if (typeof other !== 'number' || accessible(other)) continue;
    redacted ??= { ...payload };
    for (const key of ref.describedBy) delete redacted[key];
  }
  return redacted ?? payload;
}

export function toWorkOrderView(
  order: WorkOrder,
  options: { mayReadCitizenContact: boolean; categoryPath?: string; assistingUnits: AssistingPartView[]; assignee: UserRef | null },
): WorkOrderView {
  let citizenName = order.citizenName;
  let citizenPhone = order.citizenPhone;
  if (!options.mayReadCitizenContact) {
    if (order.citizenConfidential) {
      citizenName = null;
      citizenPhone = null;
    } else if (citizenPhone) {
      citizenPhone = maskPhone(citizenPhone);
    }
  }
  const category = order.category;
  // Every field written out (the type checks that none is missing), none copied by spreading the entity: a literal
  // of ~70 properties is made at once, where rest and spread add them one by one (≈ 30 µs per order in a list).
  // Left out: the relations, and the statuses to restore after a merge or a suspension.
  return {
    id: order.id,
    number: order.number,
    parentId: order.parentId,
    mergedIntoId: order.mergedIntoId,
    requestType: order.requestType,
    urgency: order.urgency,
    channel: order.channel,
    status: order.status,
    suspendedAt: order.suspendedAt,
    citizenConfidential: order.citizenConfidential,
    address: order.address,
    districtUnitId: order.districtUnitId,
    streetUnitId: order.streetUnitId,
    latitude: order.latitude,
    longitude: order.longitude,
    categoryId: order.categoryId,
    title: order.title,
    content: order.content,
    leadUnitId: order.leadUnitId,
    assigneeId: order.assigneeId,
    invalidReason: order.invalidReason,
    registeredById: order.registeredById,
    dispatchedAt: order.dispatchedAt,
    dispatchDueAt: order.dispatchDueAt,
    acceptDueAt: order.acceptDueAt,
    contactDueAt: order.contactDueAt,
    replyDueAt: order.replyDueAt,
    returnDeadlineAt: order.returnDeadlineAt,
    replyClockStartedAt: order.replyClockStartedAt,
    extensionApprovedMinutes: order.extensionApprovedMinutes,
    acceptLateMinutes: order.acceptLateMinutes,
    contactLateMinutes: order.contactLateMinutes,
    replyLateMinutes: order.replyLateMinutes,
    warningLevel: order.warningLevel,
    escalationStage: order.escalationStage,
    deadlineCheckAt: order.deadlineCheckAt,
    acceptedAt: order.acceptedAt,
    firstContactAt: order.firstContactAt,
    repliedAt: order.repliedAt,
    reply: order.reply,
    calledBackAt: order.calledBackAt,
    resolved: order.resolved,
    satisfaction: order.satisfaction,
    callSurvey: order.callSurvey,
    callbackOutcome: order.callbackOutcome,
    callbackAttemptCount: order.callbackAttemptCount,
    lastCallbackAttemptAt: order.lastCallbackAttemptAt,
    closedAt: order.closedAt,
    returnCount: order.returnCount,
    reopenCount: order.reopenCount,
    reminderCount: order.reminderCount,
    supervised: order.supervised,
    repeatOfId: order.repeatOfId,
    repeatCount: order.repeatCount,
    extensionRequestedDueAt: order.extensionRequestedDueAt,
    extensionReason: order.extensionReason,
    version: order.version,
    disputed: order.disputed,
    ruledUnitId: order.ruledUnitId,
    ruledAt: order.ruledAt,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    citizenName,
    citizenPhone,
    category: category ? { id: category.id, name: category.name, path: options.categoryPath ?? category.name } : null,
    leadUnit: unitRef(order.leadUnit),
    assistingUnits: options.assistingUnits,
    assignee: options.assignee,
  };
}

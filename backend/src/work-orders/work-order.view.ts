import type { AttachmentView } from '../attachments/attachments.service';
import type { WorkOrderEvent } from './entities/work-order-event.entity';
import type { WorkOrder } from './entities/work-order.entity';
import type { WorkOrderAction } from './work-order.enums';
import type { WorkOrderDeadlineView } from './work-order-deadlines.view';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
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
  'parent' | 'mergedInto' | 'leadUnit' | 'category' | 'assistingUnits' | 'districtUnit' | 'streetUnit' | 'statusBeforeMerge' | 'statusBeforeSuspension'
> & {
  category: { id: number; name: string; path: string } | null;
  leadUnit: UnitRef | null;
  assistingUnits: UnitRef[];
};

export interface WorkOrderDetailView extends WorkOrderView {
  timeline: TimelineEventView[];
  allowedActions: WorkOrderAction[];
  attachments: AttachmentView[];
  parent: WorkOrderSummaryView | null;
  children: WorkOrderSummaryView[];
  linkedOrders: WorkOrderSummaryView[];
  mergedOrders: WorkOrderSummaryView[];
  deadlines: WorkOrderDeadlineView[];
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
  options: { mayReadCitizenContact: boolean; categoryPath?: string; assistingUnits: UnitRef[] },
): WorkOrderView {
  const {
    parent: _parent,
    mergedInto: _mergedInto,
    leadUnit,
    category,
    assistingUnits: _assisting,
    districtUnit: _district,
    streetUnit: _street,
    statusBeforeMerge: _beforeMerge,
    statusBeforeSuspension: _beforeSuspension,
    ...fields
  } = order;
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
  return {
    ...fields,
    citizenName,
    citizenPhone,
    category: category ? { id: category.id, name: category.name, path: options.categoryPath ?? category.name } : null,
    leadUnit: unitRef(leadUnit),
    assistingUnits: options.assistingUnits,
  };
}

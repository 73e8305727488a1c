import type { AttachmentView } from '../attachments/attachments.service';
import type { WorkOrderEvent } from './entities/work-order-event.entity';
import type { WorkOrder } from './entities/work-order.entity';
import type { WorkOrderAction } from './work-order.enums';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface WorkOrderSummaryView {
  id: number;
  number: string;
  title: string;
  status: WorkOrder['status'];
  leadUnit: UnitRef | null;
  replyDueAt: Date | null;
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

export function toSummaryView(order: WorkOrder): WorkOrderSummaryView {
  return {
    id: order.id,
    number: order.number,
    title: order.title,
    status: order.status,
    leadUnit: unitRef(order.leadUnit),
    replyDueAt: order.replyDueAt,
  };
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

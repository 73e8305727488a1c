import type { Role, WorkOrder, WorkOrderAction, WorkOrderQuery } from '@/api/models';

export type InboxTabKey = 'toAccept' | 'processing' | 'subDispatched' | 'unitReview' | 'returned' | 'overdue';

export interface InboxTab {
  key: InboxTabKey;
  /** Roles that see the tab; absent: every unit role. */
  roles?: readonly Role[];
  /** The list filters of the tab, for the user's unit. */
  query: (unitId: number) => WorkOrderQuery;
}

/**
 * The unit's inbox: one tab per stage of its work, each a filter of `GET /api/work-orders` (the server also limits
 * a unit user to its own orders). Most urgent first: by the deadline that runs in that stage.
 */
export const INBOX_TABS: readonly InboxTab[] = [
  { key: 'toAccept', query: (unitId) => ({ status: 'dispatched', leadUnitId: unitId, sortBy: 'acceptDueAt', sortOrder: 'ASC' }) },
  { key: 'processing', query: (unitId) => ({ status: 'processing', leadUnitId: unitId, sortBy: 'replyDueAt', sortOrder: 'ASC' }) },
  { key: 'subDispatched', query: (unitId) => ({ hasChildren: true, open: true, leadUnitId: unitId, sortBy: 'replyDueAt', sortOrder: 'ASC' }) },
  { key: 'unitReview', roles: ['unit_admin'], query: (unitId) => ({ status: 'unit_review', leadUnitId: unitId, sortBy: 'replyDueAt', sortOrder: 'ASC' }) },
  { key: 'returned', query: (unitId) => ({ status: 'return_requested', leadUnitId: unitId, sortBy: 'updatedAt', sortOrder: 'DESC' }) },
  // 逾期: until the list has an `overdue` filter, the red warning level (a running deadline passed) stands for it.
  { key: 'overdue', query: (unitId) => ({ warning: 'red', open: true, leadUnitId: unitId, sortBy: 'replyDueAt', sortOrder: 'ASC' }) },
];

export function tabsFor(role: Role | undefined): InboxTab[] {
  return INBOX_TABS.filter((tab) => !tab.roles || (role !== undefined && tab.roles.includes(role)));
}

/**
 * The quick buttons of a row, by the order's status (the list does not carry `allowedActions`; the action host reads
 * the order and refuses what it does not offer).
 */
export function quickActions(order: WorkOrder, role: Role | undefined): WorkOrderAction[] {
  switch (order.status) {
    case 'dispatched':
      return ['accept', 'return'];
    case 'processing':
      return order.firstContactAt === null ? ['contact', 'reply'] : ['reply'];
    case 'unit_review':
      return role === 'unit_admin' ? ['unit-approve-reply', 'unit-reject-reply'] : [];
    default:
      return [];
  }
}

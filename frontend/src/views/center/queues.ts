import type { Role, WorkOrder, WorkOrderAction, WorkOrderQuery, WorkOrderSortField } from '@/api/models';

/**
 * The center desk's queues: what each lists (a list-API query), who sees it, the quick actions its rows offer and the
 * dates its rows show. Pure data and functions, tested on their own; useCenterQueues runs them.
 */
export const CENTER_QUEUE_KEYS = ['dispatch', 'returns', 'extensions', 'replies', 'callbacks', 'supervised'] as const;
export type CenterQueueKey = (typeof CENTER_QUEUE_KEYS)[number];

/** Date fields a queue's rows may show. */
export type QueueDateField =
  | 'createdAt'
  | 'dispatchDueAt'
  | 'dispatchedAt'
  | 'replyDueAt'
  | 'extensionRequestedDueAt'
  | 'repliedAt'
  | 'lastCallbackAttemptAt';

export interface CenterQueue {
  key: CenterQueueKey;
  /** Who sees the tab: the roles that act on it, and supervisors and admins, who see everything. */
  roles: readonly Role[];
  /** The list API's filters (without paging). */
  filter: Pick<WorkOrderQuery, 'status' | 'extensionRequested' | 'supervised' | 'open' | 'sortBy' | 'sortOrder'>;
  /** The quick buttons of a row, in order (each only for the roles the backend lets act, see ACTION_ROLES). */
  actions: readonly WorkOrderAction[];
  dates: readonly QueueDateField[];
  /** Whether the unit column shows the category's suggested unit (before dispatch) instead of the lead unit. */
  suggestsUnit: boolean;
}

const oldestFirst = (sortBy: WorkOrderSortField = 'createdAt') => ({ sortBy, sortOrder: 'ASC' as const });

export const CENTER_QUEUES: readonly CenterQueue[] = [
  {
    key: 'dispatch',
    roles: ['dispatcher', 'supervisor', 'admin'],
    filter: { status: 'registered', ...oldestFirst() },
    actions: ['dispatch'],
    dates: ['createdAt', 'dispatchDueAt'],
    suggestsUnit: true,
  },
  {
    key: 'returns',
    roles: ['dispatcher', 'supervisor', 'admin'],
    filter: { status: 'return_requested', ...oldestFirst('updatedAt') },
    actions: ['approve-return', 'reject-return'],
    dates: ['dispatchedAt', 'replyDueAt'],
    suggestsUnit: false,
  },
  {
    key: 'extensions',
    roles: ['dispatcher', 'supervisor', 'admin'],
    filter: { extensionRequested: true, ...oldestFirst('replyDueAt') },
    actions: ['approve-extension', 'refuse-extension'],
    dates: ['replyDueAt', 'extensionRequestedDueAt'],
    suggestsUnit: false,
  },
  {
    key: 'replies',
    roles: ['reviewer', 'supervisor', 'admin'],
    filter: { status: 'reply_review', ...oldestFirst('updatedAt') },
    actions: ['approve-reply', 'reject-reply'],
    dates: ['repliedAt', 'replyDueAt'],
    suggestsUnit: false,
  },
  {
    key: 'callbacks',
    roles: ['callback_agent', 'supervisor', 'admin'],
    filter: { status: 'callback_pending', ...oldestFirst('updatedAt') },
    actions: ['callback', 'callback-attempt'],
    dates: ['repliedAt', 'lastCallbackAttemptAt'],
    suggestsUnit: false,
  },
  {
    // 督办件 still open, the most urgent deadline first.
    key: 'supervised',
    roles: ['supervisor', 'admin'],
    filter: { supervised: true, open: true, ...oldestFirst('replyDueAt') },
    actions: ['remind', 'supervise'],
    dates: ['replyDueAt'],
    suggestsUnit: false,
  },
];

/**
 * Who may take each quick action, as the backend's state machine says (work-order-state-machine.ts) for top-level
 * orders; a button shown is one the server will accept, and the host checks `allowedActions` again before the form.
 */
export const ACTION_ROLES: Partial<Record<WorkOrderAction, readonly Role[]>> = {
  dispatch: ['agent', 'dispatcher', 'supervisor'],
  'approve-return': ['dispatcher', 'supervisor'],
  'reject-return': ['dispatcher', 'supervisor'],
  'approve-extension': ['dispatcher', 'supervisor'],
  'refuse-extension': ['dispatcher', 'supervisor'],
  'approve-reply': ['reviewer', 'supervisor'],
  'reject-reply': ['reviewer', 'supervisor'],
  callback: ['callback_agent', 'supervisor'],
  'callback-attempt': ['callback_agent', 'supervisor'],
  remind: ['dispatcher', 'supervisor'],
  supervise: ['supervisor'],
};

export function queueByKey(key: string | null | undefined): CenterQueue | null {
  return CENTER_QUEUES.find((queue) => queue.key === key) ?? null;
}

/** The queues a role sees, in tab order. */
export function visibleQueues(role: Role | undefined): CenterQueue[] {
  return role ? CENTER_QUEUES.filter((queue) => queue.roles.includes(role)) : [];
}

/** The list query of a queue's page. */
export function queueQuery(queue: CenterQueue, page: number, pageSize: number): WorkOrderQuery {
  return { ...queue.filter, page, pageSize };
}

/** The query that only counts a queue (its `total`). */
export function countQuery(queue: CenterQueue): WorkOrderQuery {
  return { ...queue.filter, page: 1, pageSize: 1 };
}

/** The quick actions a row offers the user: none on child orders (their parent unit rules on them). */
export function rowActions(queue: CenterQueue, order: Pick<WorkOrder, 'parentId'>, role: Role | undefined): WorkOrderAction[] {
  if (!role || order.parentId !== null) return [];
  return queue.actions.filter((action) => ACTION_ROLES[action]?.includes(role) ?? false);
}

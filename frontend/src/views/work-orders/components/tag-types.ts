import type { Urgency, WorkOrderStatus } from '@/api/models';

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

/** Waiting on someone: warning; stuck or disputed: danger; finished: success or info. */
export const STATUS_TAG_TYPES: Record<WorkOrderStatus, TagType> = {
  registered: 'info',
  dispatched: 'warning',
  return_requested: 'danger',
  processing: 'primary',
  suspended: 'info',
  unit_review: 'warning',
  reply_review: 'warning',
  callback_pending: 'warning',
  closed: 'success',
  merged: 'info',
  cancelled: 'info',
  invalid: 'info',
};

export const URGENCY_TAG_TYPES: Record<Urgency, TagType> = {
  normal: 'info',
  urgent: 'warning',
  critical: 'danger',
};

const FINISHED: readonly WorkOrderStatus[] = ['closed', 'merged', 'cancelled', 'invalid'];

/** Past its reply deadline and still open. */
export function isOverdue(order: { status: WorkOrderStatus; replyDueAt: string | null }, now = Date.now()): boolean {
  return !FINISHED.includes(order.status) && order.replyDueAt !== null && Date.parse(order.replyDueAt) < now;
}

import type { WorkOrder, WorkOrderStatus } from '@/api/models';

/** The unit still owes the reply: the reply deadline runs against the clock. */
const AWAITING_REPLY: readonly WorkOrderStatus[] = ['dispatched', 'return_requested', 'processing', 'unit_review'];
/** The reply has been given (and is being reviewed, called back, or the order is closed). */
const REPLIED: readonly WorkOrderStatus[] = ['reply_review', 'callback_pending', 'closed'];

export type ReplyLateness = 'overdue' | 'replied-late' | null;

type Order = Pick<WorkOrder, 'status' | 'replyDueAt' | 'repliedAt' | 'replyLateMinutes' | 'suspendedAt'>;

/**
 * Whether an order missed its reply deadline, as the list flags it:
 * - still to be replied: "overdue" once now is past the deadline (while suspended, the clock stopped at the suspension);
 * - replied: "replied-late" only if the reply came after the deadline — an order replied on time is never overdue,
 *   however long ago its deadline passed;
 * - no deadline, or finished without a reply (merged, cancelled, invalid): never.
 */
export function replyLateness(order: Order, now: number = Date.now()): ReplyLateness {
  if (order.replyDueAt === null) return null;
  const due = Date.parse(order.replyDueAt);
  if (AWAITING_REPLY.includes(order.status)) return now > due ? 'overdue' : null;
  if (order.status === 'suspended') return order.suspendedAt !== null && Date.parse(order.suspendedAt) > due ? 'overdue' : null;
  if (REPLIED.includes(order.status) && order.repliedAt !== null) {
    return Date.parse(order.repliedAt) > due || (order.replyLateMinutes ?? 0) > 0 ? 'replied-late' : null;
  }
  return null;
}

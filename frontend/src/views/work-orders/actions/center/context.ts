import type { Attachment, WorkOrderDetail, WorkOrderReturn } from '@/api/models';

/** The return request still waiting for the center's decision (the latest undecided one). */
export function pendingReturn(order: WorkOrderDetail): WorkOrderReturn | null {
  const open = order.returns.filter((request) => request.decision === null);
  return open.length ? open.reduce((latest, request) => (request.requestedAt > latest.requestedAt ? request : latest)) : null;
}

/** The files sent with the reply; older data without a purpose counts as the reply's. */
export function replyAttachments(order: WorkOrderDetail): Attachment[] {
  const tagged = order.attachments.filter((file) => file.purpose === 'reply');
  return tagged.length ? tagged : order.attachments.filter((file) => file.purpose === null);
}

export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

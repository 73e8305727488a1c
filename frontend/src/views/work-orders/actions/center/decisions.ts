import type { WorkOrderAction } from '@/api/models';

/** What a center ruling is about, and whether it grants the request. */
export interface Decision {
  action: WorkOrderAction;
  subject: 'return' | 'extension' | 'reply';
  approves: boolean;
}

const DECISIONS: readonly Decision[] = [
  { action: 'approve-return', subject: 'return', approves: true },
  { action: 'reject-return', subject: 'return', approves: false },
  { action: 'approve-extension', subject: 'extension', approves: true },
  { action: 'refuse-extension', subject: 'extension', approves: false },
  { action: 'approve-reply', subject: 'reply', approves: true },
  { action: 'reject-reply', subject: 'reply', approves: false },
];

export const DECISION_ACTIONS: readonly WorkOrderAction[] = DECISIONS.map((decision) => decision.action);

export function decisionOf(action: WorkOrderAction): Decision | null {
  return DECISIONS.find((decision) => decision.action === action) ?? null;
}

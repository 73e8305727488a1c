import type { WorkOrderStatus } from '../work-orders/work-order.enums';
import type { TrackedEvent } from './public-requests.repository';

/** What a citizen is told about the state of their request (the center's internal statuses stay inside). */
export const PUBLIC_STATUSES = ['received', 'in_progress', 'replied', 'closed', 'merged', 'not_accepted'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** The steps a citizen sees on the timeline; everything else (accept, contact, sub-dispatch, review…) stays inside. */
export const PUBLIC_STEPS = ['submitted', 'dispatched', 'replied', 'reopened', 'closed', 'merged', 'not_accepted'] as const;
export type PublicStep = (typeof PUBLIC_STEPS)[number];

export interface PublicTimelineEntry {
  step: PublicStep;
  at: Date;
  /** For `dispatched`: the top-level department that leads the handling (null: "the department concerned"). */
  department: string | null;
}

/**
 * 已受理 → 办理中 → 已答复 → 已办结. A reply counts once the center has approved it (待回访 or closed); before that the
 * request is still being handled. An order returned and waiting to be dispatched again is still being handled too.
 */
export function publicStatus(status: WorkOrderStatus, everDispatched: boolean): PublicStatus {
  switch (status) {
    case 'registered':
      return everDispatched ? 'in_progress' : 'received';
    case 'callback_pending':
      return 'replied';
    case 'closed':
    case 'cancelled':
      return 'closed';
    case 'merged':
      return 'merged';
    case 'invalid':
      return 'not_accepted';
    default:
      return 'in_progress';
  }
}

/** Whether the order's reply may be shown: approved by the center (or given directly by an agent). */
export function replyIsPublic(status: WorkOrderStatus): boolean {
  return status === 'callback_pending' || status === 'closed';
}

const OPEN_AGAIN: readonly (WorkOrderStatus | null)[] = ['registered', 'dispatched', 'processing'];

/**
 * The citizen's timeline from the order's events: registration, each dispatch (named by the lead unit's top-level
 * department, resolved by `departmentOf`), the approved reply, reopening, merging, closing. Nothing of an event's
 * actor, unit, reason or payload is passed on but the department's name.
 */
export function publicTimeline(events: TrackedEvent[], departmentOf: (leadUnitId: number) => string | null): PublicTimelineEntry[] {
  const entries: PublicTimelineEntry[] = [];
  const add = (step: PublicStep, at: Date, department: string | null = null) => {
    const last = entries[entries.length - 1];
    // A recall and a dispatch to the same department again, or two reopenings, read as one step.
    if (last && last.step === step && last.department === department && step !== 'replied') return;
    entries.push({ step, at, department });
  };
  for (const event of events) {
    const at = event.createdAt;
    switch (event.action) {
      case 'register':
        add('submitted', at);
        break;
      case 'dispatch': {
        const leadUnitId = (event.payload as { leadUnitId?: unknown } | null)?.leadUnitId;
        add('dispatched', at, typeof leadUnitId === 'number' ? departmentOf(leadUnitId) : null);
        break;
      }
      case 'approve-reply':
      case 'resolve-directly':
      case 'close-with-target':
        if (event.toStatus === 'callback_pending' || event.toStatus === 'closed') add('replied', at);
        break;
      case 'reopen':
        add('reopened', at);
        break;
      case 'callback':
        // A failed callback sends the order back to the department (the second round).
        if (OPEN_AGAIN.includes(event.toStatus)) add('reopened', at);
        break;
      case 'merge':
        add('merged', at);
        break;
      case 'invalidate':
        add('not_accepted', at);
        break;
      default:
        break;
    }
    if (event.toStatus === 'closed' && event.fromStatus !== 'closed') add('closed', at);
  }
  return entries;
}

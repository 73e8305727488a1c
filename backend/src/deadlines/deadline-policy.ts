import { Injectable } from '@nestjs/common';
import type { RequestType, Urgency } from '../work-orders/work-order.enums';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Handling limits by request type (DOMAIN.md defaults). */
const REPLY_LIMIT_BY_TYPE: Record<RequestType, number> = {
  consultation: 1 * DAY,
  help: 3 * DAY,
  complaint: 5 * DAY,
  report: 5 * DAY,
  suggestion: 10 * DAY,
  praise: 5 * DAY,
};

const REPLY_LIMIT_BY_URGENCY: Partial<Record<Urgency, number>> = { urgent: 24 * HOUR, critical: 2 * HOUR };
const ACCEPT_LIMIT = 2 * HOUR;
const REOPEN_LIMIT = 3 * DAY;

/**
 * When an order must be accepted and replied to. For now the limits run on calendar time;
 * the deadlines issue replaces this with working days, office hours and the holiday calendar.
 */
@Injectable()
export class DeadlinePolicy {
  onDispatch(dispatchedAt: Date, requestType: RequestType, urgency: Urgency): { acceptDueAt: Date; replyDueAt: Date } {
    const limit = REPLY_LIMIT_BY_URGENCY[urgency] ?? REPLY_LIMIT_BY_TYPE[requestType];
    return {
      acceptDueAt: new Date(dispatchedAt.getTime() + Math.min(ACCEPT_LIMIT, limit)),
      replyDueAt: new Date(dispatchedAt.getTime() + limit),
    };
  }

  onReopen(reopenedAt: Date): Date {
    return new Date(reopenedAt.getTime() + REOPEN_LIMIT);
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { WorkingCalendarService } from '../calendar/working-calendar.service';
import type { RequestType, Urgency } from '../work-orders/work-order.enums';
import type { Limit, LimitName, Limits } from './deadline-limits';
import { DeadlineRulesService } from './deadline-rules.service';

/** The deadlines a dispatch starts (docs/lifecycle.md "Deadlines"). */
export interface DispatchDeadlines {
  acceptDueAt: Date;
  contactDueAt: Date;
  replyDueAt: Date;
  returnDeadlineAt: Date;
  replyClockStartedAt: Date;
}

/**
 * The deadlines of one order: its limits (from the rule table) on the working calendar. Pure and synchronous, so
 * that it can be used inside a transaction and tested with a fixed clock.
 */
export class OrderDeadlines {
  constructor(
    readonly calendar: WorkingCalendar,
    readonly limits: Limits,
  ) {}

  /** `start` + the named limit. */
  due(start: Date, name: LimitName): Date {
    const limit = this.limits[name];
    return this.calendar.due(start, limit.amount, limit.unit);
  }

  /** At registration: the center's dispatch limit. */
  onRegister(registeredAt: Date): { dispatchDueAt: Date } {
    return { dispatchDueAt: this.due(registeredAt, 'dispatch') };
  }

  /**
   * At dispatch: acceptance, first contact, reply and the return window. Acceptance and first contact are never
   * due after the reply (a critical order must be replied to in 2 hours, whatever the first-contact limit says).
   */
  onDispatch(dispatchedAt: Date): DispatchDeadlines {
    const replyDueAt = this.due(dispatchedAt, 'reply');
    return {
      acceptDueAt: earliest(this.due(dispatchedAt, 'accept'), replyDueAt),
      contactDueAt: earliest(this.due(dispatchedAt, 'contact'), replyDueAt),
      replyDueAt,
      returnDeadlineAt: this.due(dispatchedAt, 'returnWindow'),
      replyClockStartedAt: dispatchedAt,
    };
  }

  /** A reopened order (callback not resolved, or reopened after closing): a new reply deadline from now. */
  onReopen(reopenedAt: Date): { replyDueAt: Date; replyClockStartedAt: Date } {
    return { replyDueAt: this.due(reopenedAt, 'reopen'), replyClockStartedAt: reopenedAt };
  }

  /**
   * How late `at` is for a deadline, in the limit's own time: working minutes for working limits, elapsed minutes
   * for calendar-hour limits (an urgent order late at night is late by the night). Null when on time. Rounded up,
   * so any lateness inside office time counts at least a minute; 0 means late only outside office hours.
   */
  lateMinutes(dueAt: Date | null, at: Date, name: LimitName): number | null {
    if (dueAt === null || at.getTime() <= dueAt.getTime()) return null;
    const minutes = this.limits[name].unit === 'calendar_hours' ? (at.getTime() - dueAt.getTime()) / 60_000 : this.calendar.workingMinutesBetween(dueAt, at);
    return Math.max(0, Math.ceil(minutes - 1e-9));
  }

  /**
   * 协办: an assisting unit's own deadline for its part, one working day before the lead unit's reply is due, so that
   * the lead can use it. When that is not after `dispatchedAt` (a reply due within a working day, e.g. an urgent
   * order), the part is due with the reply.
   */
  assistDueAt(replyDueAt: Date, dispatchedAt: Date): Date {
    const dayBefore = this.calendar.subtractWorkingDays(replyDueAt, 1);
    return dayBefore.getTime() > dispatchedAt.getTime() ? dayBefore : replyDueAt;
  }

  /** How late an assisting unit's part came, in working minutes (rounded up); null when on time. */
  assistLateMinutes(dueAt: Date | null, at: Date): number | null {
    if (dueAt === null || at.getTime() <= dueAt.getTime()) return null;
    return Math.max(0, Math.ceil(this.calendar.workingMinutesBetween(dueAt, at) - 1e-9));
  }

  /**
   * A deadline after a suspension from `suspendedAt` to `resumedAt`: moved on by the working time the order spent
   * suspended (by the elapsed time for a calendar-hour limit). A night or a holiday spent suspended moves a
   * working-time deadline by nothing.
   */
  afterSuspension(dueAt: Date, suspendedAt: Date, resumedAt: Date, name: LimitName): Date {
    if (resumedAt.getTime() <= suspendedAt.getTime()) return dueAt;
    if (this.limits[name].unit === 'calendar_hours') return new Date(dueAt.getTime() + (resumedAt.getTime() - suspendedAt.getTime()));
    const pausedMs = this.calendar.workingMsBetween(suspendedAt, resumedAt);
    return pausedMs <= 0 ? dueAt : this.calendar.addWorkingMinutes(dueAt, pausedMs / 60_000);
  }

  /** The working minutes an extension from `from` to `to` adds (rounded up; 0 when `to` is not later). */
  extensionMinutes(from: Date, to: Date): number {
    return Math.max(0, Math.ceil(this.calendar.workingMinutesBetween(from, to) - 1e-9));
  }

  /** The extension cap in working minutes (working days count the office minutes of a day). */
  extensionCapMinutes(): number {
    return limitInWorkingMinutes(this.limits.extensionCap, this.calendar.settings.officeMinutesPerDay);
  }

  /** "4500 working minutes (10 working days)" */
  describeWorkingMinutes(minutes: number): string {
    const perDay = this.calendar.settings.officeMinutesPerDay;
    const days = minutes / perDay;
    const inDays = Number.isInteger(days) ? `${days} working day${days === 1 ? '' : 's'}` : `${(minutes / 60).toFixed(2).replace(/\.?0+$/, '')} working hours`;
    return `${minutes} working minutes (${inDays})`;
  }
}

/** A limit as working minutes: working days × the office minutes of a day; hours × 60. */
export function limitInWorkingMinutes(limit: Limit, officeMinutesPerDay: number): number {
  return limit.unit === 'working_days' ? limit.amount * officeMinutesPerDay : Math.round(limit.amount * 60);
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** What the rules need to know about an order to find its limits. */
export interface RuleSubject {
  requestType: RequestType;
  urgency: Urgency;
  categoryId: number;
}

/**
 * The deadlines of orders on China's working calendar (WorkingCalendarService) and the admins' rule table.
 * Call `refreshCalendar()` before a transaction: `forOrder()` then works on that copy and reads the rules with the
 * transaction's manager, so no second pooled connection is needed while the transaction holds one.
 */
@Injectable()
export class DeadlinePolicy {
  constructor(
    private readonly workingCalendar: WorkingCalendarService,
    private readonly rules: DeadlineRulesService,
  ) {}

  /** Re-reads the calendar overrides if this instance's copy is stale (outside any transaction). */
  async refreshCalendar(): Promise<WorkingCalendar> {
    return this.workingCalendar.current();
  }

  async forOrder(order: RuleSubject, manager?: EntityManager): Promise<OrderDeadlines> {
    return new OrderDeadlines(this.workingCalendar.calendar, await this.rules.limitsFor(order, manager));
  }
}

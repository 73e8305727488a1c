import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WorkOrdersRepository } from './work-orders.repository';

/**
 * Digits of the daily sequence. Six since issue 5 (999 999 orders a day, child orders included); numbers
 * handed out before that have five (`2026112200017`, 13 characters) and are kept as they are, because
 * citizens were told them. The list sorts by day, then width, then digits (WorkOrdersRepository.list), so
 * both widths keep the order they were handed out in; `number` is a varchar(16), wide enough for either.
 */
export const DAILY_SEQUENCE_DIGITS = 6;

/** Work-order numbers: the center's local date YYYYMMDD + a (at least) 6-digit sequence of that day, e.g. 20261122000017. */
@Injectable()
export class WorkOrderNumbers {
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    private readonly workOrders: WorkOrdersRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: config.centerTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  dayOf(at: Date): string {
    return this.dayFormat.format(at).replace(/-/g, '');
  }

  /**
   * Whether registration draws the number last, after inserting the order and its first event (MariaDB/MySQL): the
   * day's sequence row is locked from the draw to COMMIT, and drawing last shortens that stretch to the draw and the
   * COMMIT, so concurrent registrations wait for each other only there. SQLite runs one transaction at a time and
   * keeps drawing first (next()), which also lets its search row, written inside the transaction, hold the number.
   */
  drawsLast(manager: EntityManager): boolean {
    return manager.connection.options.type !== 'better-sqlite3';
  }

  /** Whether a registration without attachments can be one statement (registerInOneStatement): on a server. */
  registersInOneStatement(): boolean {
    return this.workOrders.engine !== 'better-sqlite3';
  }

  /**
   * A unique stand-in for the number of an order inserted before its number is drawn (drawsLast). Never a real
   * number (those are digits only), never seen outside the registration's transaction (completeRegistration replaces it
   * before COMMIT); random, so that several processes and nodes never pick the same one.
   */
  provisional(): string {
    return `P${randomBytes(8).toString('hex').slice(1)}`;
  }

  /**
   * The rest of a registration on a server, in one round trip (WorkOrdersRepository.completeRegistration): the first
   * timeline event, the search outbox and screening queue rows when asked, the number drawn and written into the order
   * inserted with a provisional one, and the COMMIT when `commit` (the registration's own transaction from
   * TransactionService.run has nothing left to write: the sequence row is then not held while a COMMIT travels; the
   * application's COMMIT that follows finds nothing to do). The registration time becomes the previous number's time
   * when that is later than `at`, in the order and its event, so that numbers and times sort alike; the time the order
   * was given is returned with the number and the event's id.
   */
  async completeRegistration(
    call: Omit<Parameters<WorkOrdersRepository['completeRegistration']>[0], 'day' | 'digits'>,
    manager: EntityManager,
  ): Promise<{ number: string; at: Date; eventId: number }> {
    const done = await this.workOrders.completeRegistration({ ...call, day: this.dayOf(call.at), digits: DAILY_SEQUENCE_DIGITS }, manager);
    return { number: done.number, at: raisedBy(call.at, done.raisedByMicroseconds), eventId: done.eventId };
  }

  /**
   * A whole registration without attachments on a server, in one statement (WorkOrdersRepository.registerInOneStatement):
   * the number drawn, the order inserted with it, the rows completeRegistration writes, COMMIT and the search row. The
   * time is raised as in completeRegistration; the order's id and the event's id come back.
   */
  async registerInOneStatement(
    call: Omit<Parameters<WorkOrdersRepository['registerInOneStatement']>[0], 'day' | 'digits'>,
  ): Promise<{ id: number; number: string; at: Date; eventId: number; indexed: boolean; indexError: string | null }> {
    const done = await this.workOrders.registerInOneStatement({ ...call, day: this.dayOf(call.at), digits: DAILY_SEQUENCE_DIGITS });
    return { id: done.id, number: done.number, at: raisedBy(call.at, done.raisedByMicroseconds), eventId: done.eventId, indexed: done.indexed, indexError: done.indexError };
  }

  async next(at: Date, manager: EntityManager): Promise<string> {
    const day = this.dayOf(at);
    const sequence = await this.workOrders.nextDailySequence(day, manager);
    // Past 999 999 orders in a day the sequence grows a seventh digit rather than failing; the list's number sort keeps the order.
    return `${day}${String(sequence).padStart(DAILY_SEQUENCE_DIGITS, '0')}`;
  }
}

/** A registration's time as the procedure that drew its number answered it: raised by whole milliseconds, if at all. */
function raisedBy(at: Date, microseconds: number): Date {
  const raisedMs = Math.round(microseconds / 1000);
  return raisedMs === 0 ? at : new Date(at.getTime() + raisedMs);
}

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

  async next(at: Date, manager: EntityManager): Promise<string> {
    const day = this.dayOf(at);
    const sequence = await this.workOrders.nextDailySequence(day, manager);
    // Past 999 999 orders in a day the sequence grows a seventh digit rather than failing; the list's number sort keeps the order.
    return `${day}${String(sequence).padStart(DAILY_SEQUENCE_DIGITS, '0')}`;
  }
}

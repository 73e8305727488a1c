import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WorkOrdersRepository } from './work-orders.repository';

export const DAILY_SEQUENCE_DIGITS = 5;

/** Work-order numbers: the center's local date YYYYMMDD + a (at least) 5-digit sequence of that day, e.g. 2026112200017. */
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
    // Past 99 999 orders in a day the sequence simply grows a sixth digit: numbers stay unique and sortable per day.
    return `${day}${String(sequence).padStart(DAILY_SEQUENCE_DIGITS, '0')}`;
  }
}

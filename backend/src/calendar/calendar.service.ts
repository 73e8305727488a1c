import { BadRequestException, Injectable } from '@nestjs/common';
import type { CalendarDaysQueryDto, DueQueryDto } from './dto/calendar.dto';
import type { CalendarDaysResponse, DueResponse } from './dto/calendar.response';
import { WorkingCalendarService } from './working-calendar.service';

/** The most a due may lie ahead: ten years of working days, ten years of hours. */
export const MAX_DUE_WORKING_DAYS = 3650;
export const MAX_DUE_HOURS = 87_600;

/** The read side of the calendar API: days and due times (docs/calendar.md is the contract). */
@Injectable()
export class CalendarService {
  constructor(private readonly workingCalendar: WorkingCalendarService) {}

  async days(query: CalendarDaysQueryDto): Promise<CalendarDaysResponse> {
    const calendar = await this.workingCalendar.current();
    return { items: badRequestOnRangeError(() => calendar.days(query.from, query.to)) };
  }

  async due(query: DueQueryDto): Promise<DueResponse> {
    const { amount, unit } = query;
    if (unit === 'working_days') {
      if (!Number.isInteger(amount)) throw new BadRequestException(`amount must be a whole number of working days, got ${amount}`);
      if (amount > MAX_DUE_WORKING_DAYS) throw new BadRequestException(`amount must be at most ${MAX_DUE_WORKING_DAYS} working days`);
    } else if (amount > MAX_DUE_HOURS) {
      throw new BadRequestException(`amount must be at most ${MAX_DUE_HOURS} hours`);
    }
    const calendar = await this.workingCalendar.current();
    return { dueAt: badRequestOnRangeError(() => calendar.due(new Date(query.start), amount, unit)).toISOString() };
  }
}

/** The calendar core says what is wrong with an argument as a RangeError: that is the caller's 400. */
export function badRequestOnRangeError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw new BadRequestException(error.message);
    throw error;
  }
}

import { DAY_MS, formatLocalDate } from '../calendar/local-date';
import type { WorkingCalendar } from '../calendar/working-calendar';

type TimeZone = WorkingCalendar['timeZone'];

/** One day of the center's calendar: its date and the instants it starts and ends at. */
export interface CenterDay {
  /** YYYY-MM-DD in the center's time zone. */
  date: string;
  from: Date;
  /** The start of the next day (exclusive). */
  to: Date;
}

/**
 * The last `count` days of the center's calendar up to and including the day of `now`, oldest first. Day
 * boundaries come from the zone (midnight local time), so "today" is the center's today, not the server's.
 */
export function centerDaysEndingAt(now: Date, zone: TimeZone, count: number): CenterDay[] {
  const today = Math.floor(zone.toLocalMs(now.getTime()) / DAY_MS);
  const days: CenterDay[] = [];
  for (let day = today - count + 1; day <= today; day++) {
    days.push({ date: formatLocalDate(day), from: new Date(zone.toUtcMs(day * DAY_MS)), to: new Date(zone.toUtcMs((day + 1) * DAY_MS)) });
  }
  return days;
}

import { formatLocalDate, parseLocalDate } from '../../calendar/local-date';

/**
 * Whether `date` (YYYY-MM-DD) is the first working day of its month: a working day with no working day before it
 * in the month. Holidays and 调休 count as the calendar says (2026-10: the National Day week is off, so 10-08).
 */
export function isFirstWorkingDayOfMonth(date: string, isWorkingDay: (date: string) => boolean): boolean {
  const day = parseLocalDate(date);
  if (!isWorkingDay(date)) return false;
  const first = parseLocalDate(`${date.slice(0, 7)}-01`);
  for (let earlier = first; earlier < day; earlier++) if (isWorkingDay(formatLocalDate(earlier))) return false;
  return true;
}

/** The month before the one `date` lies in, YYYY-MM. */
export function monthBefore(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

import { DAY_MS, formatLocalDate, parseLocalDate } from '../calendar/local-date';
import type { TimeZone } from '../calendar/time-zone';

/** The longest period a report covers (a year, a leap year's too). */
export const MAX_REPORT_DAYS = 366;

/**
 * A report's period: whole days of the center (CENTER_TIMEZONE), `from` and `to` both included, as YYYY-MM-DD.
 * A month is `2026-11-01`…`2026-11-30`; a quarter `2026-10-01`…`2026-12-31`.
 */
export interface ReportPeriod {
  from: string;
  to: string;
}

/** Thrown on a period that is not one: the controller answers 400 with its message. */
export class ReportPeriodError extends Error {}

/** Checks and normalises a period given as local dates. `to` before `from`, or more than MAX_REPORT_DAYS days: refused. */
export function reportPeriod(from: string, to: string): ReportPeriod {
  const first = dayNumber(from, 'from');
  const last = dayNumber(to, 'to');
  if (last < first) throw new ReportPeriodError(`to (${to}) is before from (${from})`);
  if (last - first + 1 > MAX_REPORT_DAYS) throw new ReportPeriodError(`the period is ${last - first + 1} days; a report covers at most ${MAX_REPORT_DAYS} days`);
  return { from: formatLocalDate(first), to: formatLocalDate(last) };
}

/** The calendar month `YYYY-MM` as a period. */
export function monthPeriod(month: string): ReportPeriod {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new ReportPeriodError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]);
  const first = parseLocalDate(`${match[1]}-${match[2]}-01`);
  const next = monthIndex === 12 ? parseLocalDate(`${year + 1}-01-01`) : parseLocalDate(`${match[1]}-${String(monthIndex + 1).padStart(2, '0')}-01`);
  return { from: formatLocalDate(first), to: formatLocalDate(next - 1) };
}

/** The quarter `YYYY-Qn` as a period. */
export function quarterPeriod(quarter: string): ReportPeriod {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new ReportPeriodError(`quarter must be YYYY-Q1 … YYYY-Q4, got ${JSON.stringify(quarter)}`);
  const firstMonth = (Number(match[2]) - 1) * 3 + 1;
  const from = monthPeriod(`${match[1]}-${String(firstMonth).padStart(2, '0')}`).from;
  const to = monthPeriod(`${match[1]}-${String(firstMonth + 2).padStart(2, '0')}`).to;
  return { from, to };
}

/**
 * The period before, for the ranking's change: the month before a whole month, the quarter before a whole quarter,
 * otherwise the same number of days just before.
 */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const first = parseLocalDate(period.from);
  const last = parseLocalDate(period.to);
  const monthOf = (day: number) => formatLocalDate(day).slice(0, 7);
  const isMonthStart = formatLocalDate(first).endsWith('-01');
  const isMonthEnd = monthOf(last + 1) !== monthOf(last);
  if (isMonthStart && isMonthEnd) {
    const months = monthsBetween(period.from, period.to);
    const startOfPrevious = shiftMonth(period.from.slice(0, 7), -months);
    const endOfPrevious = shiftMonth(period.from.slice(0, 7), -1);
    return { from: monthPeriod(startOfPrevious).from, to: monthPeriod(endOfPrevious).to };
  }
  const length = last - first + 1;
  return { from: formatLocalDate(first - length), to: formatLocalDate(first - 1) };
}

/** Each day of the period, YYYY-MM-DD. */
export function periodDays(period: ReportPeriod): string[] {
  const days: string[] = [];
  for (let day = parseLocalDate(period.from); day <= parseLocalDate(period.to); day++) days.push(formatLocalDate(day));
  return days;
}

/** The UTC instants the period spans: [start, end) — from the first day's 00:00 to the day after the last, in the zone. */
export function periodInstants(period: ReportPeriod, zone: TimeZone): { start: Date; end: Date } {
  return { start: new Date(zone.toUtcMs(parseLocalDate(period.from) * DAY_MS)), end: new Date(zone.toUtcMs((parseLocalDate(period.to) + 1) * DAY_MS)) };
}

/** The local date (YYYY-MM-DD) of an instant in the zone. */
export function localDateOf(instant: Date, zone: TimeZone): string {
  return formatLocalDate(Math.floor(zone.toLocalMs(instant.getTime()) / DAY_MS));
}

function dayNumber(value: string, label: string): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new ReportPeriodError(`${label} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  try {
    return parseLocalDate(value, label);
  } catch (error) {
    throw new ReportPeriodError(error instanceof Error ? error.message : `${label} is not a date`);
  }
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

function shiftMonth(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number);
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The four kinds of day of China's working calendar. `makeup_workday` is 调休上班: a Saturday or Sunday that works
 * because the State Council moved it next to a holiday. A statutory holiday that falls on a weekend stays `holiday`.
 */
export const DAY_KINDS = ['workday', 'weekend', 'holiday', 'makeup_workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/** Where a day's kind came from, in order of precedence: an admin's override, the `chinese-days` data, the plain weekday rule. */
export const DAY_SOURCES = ['override', 'builtin', 'weekday-rule'] as const;
export type DaySource = (typeof DAY_SOURCES)[number];

/** One local calendar day as the API shows it. */
export interface DayInfo {
  /** The local date, YYYY-MM-DD, in the calendar's time zone. */
  date: string;
  kind: DayKind;
  /** The holiday's Chinese name (e.g. 春节) for holidays and their make-up days; an override's own name; otherwise null. */
  name: string | null;
  source: DaySource;
}

/** An admin's arrangement for one date; it wins over the built-in data (years the package does not know, local arrangements). */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
  name?: string | null;
  note?: string | null;
}

/** Office hours apply on these kinds only. */
export function isWorkingKind(kind: DayKind): boolean {
  return kind === 'workday' || kind === 'makeup_workday';
}

export function isDayKind(value: unknown): value is DayKind {
  return typeof value === 'string' && (DAY_KINDS as readonly string[]).includes(value);
}

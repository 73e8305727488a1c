import type { ReportPeriod } from '@/api/reports';

/** The longest period a report covers: a year, a leap year's too (the server's MAX_REPORT_DAYS). */
export const MAX_REPORT_DAYS = 366;

/** How the period is chosen: 月 (a calendar month), 季 (a quarter), 自定义 (a date range). */
export type PeriodKind = 'month' | 'quarter' | 'range';

export interface PeriodChoice {
  kind: PeriodKind;
  /** YYYY-MM */
  month: string | null;
  /** YYYY-Qn */
  quarter: string | null;
  /** [from, to] as YYYY-MM-DD */
  range: [string, string] | null;
}

/** Why a choice is not a period the reports accept (each has its message in the locale). */
export type PeriodProblem = 'missing' | 'reversed' | 'tooLong';

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; problem: PeriodProblem };

const DAY_MS = 86_400_000;
const pad = (value: number) => String(value).padStart(2, '0');

/** Days since 1970-01-01 of a local date (dates carry no zone, so UTC arithmetic is exact). */
function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The number of days of a month, 1-based. */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar month `YYYY-MM` as a period, or null when it is not one. */
export function monthPeriod(month: string): ReportPeriod | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const monthNumber = Number(match[2]);
  if (monthNumber < 1 || monthNumber > 12) return null;
  return { from: `${match[1]}-${match[2]}-01`, to: `${match[1]}-${match[2]}-${pad(daysIn(year, monthNumber))}` };
}

/** The quarter `YYYY-Qn` as a period, or null when it is not one. */
export function quarterPeriod(quarter: string): ReportPeriod | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const year = Number(match[1]);
  const firstMonth = (Number(match[2]) - 1) * 3 + 1;
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(firstMonth + 2)}-${pad(daysIn(year, firstMonth + 2))}` };
}

/** A date range as a period: both days included, `to` not before `from`, at most MAX_REPORT_DAYS days. */
export function rangePeriod(from: string, to: string): PeriodResult {
  if (!isDate(from) || !isDate(to)) return { ok: false, problem: 'missing' };
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) return { ok: false, problem: 'reversed' };
  if (days > MAX_REPORT_DAYS) return { ok: false, problem: 'tooLong' };
  return { ok: true, period: { from, to } };
}

/** The period a choice stands for, or why it is none. */
export function periodOf(choice: PeriodChoice): PeriodResult {
  if (choice.kind === 'range') return choice.range ? rangePeriod(choice.range[0], choice.range[1]) : { ok: false, problem: 'missing' };
  const period = choice.kind === 'month' ? (choice.month ? monthPeriod(choice.month) : null) : choice.quarter ? quarterPeriod(choice.quarter) : null;
  return period ? { ok: true, period } : { ok: false, problem: 'missing' };
}

/** The month before the one of `today` (YYYY-MM-DD), as YYYY-MM: what the monthly bulletin covers. */
export function previousMonth(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
}

/** The quarter `YYYY-Qn` a month `YYYY-MM` (or a date) falls in. */
export function quarterOf(monthOrDate: string): string {
  const month = Number(monthOrDate.slice(5, 7));
  return `${monthOrDate.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** The quarters to offer: the one of `today` and the `count − 1` before it, newest first. */
export function recentQuarters(today: string, count = 12): string[] {
  const [year, quarter] = quarterOf(today).split('-Q').map(Number);
  const quarters: string[] = [];
  for (let index = year * 4 + quarter - 1, left = count; left > 0; index--, left--) {
    quarters.push(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  return quarters;
}

/** The default choice: last month (the latest complete one), the same quarter and range ready when switching. */
export function defaultChoice(today: string): PeriodChoice {
  const month = previousMonth(today);
  const period = monthPeriod(month)!;
  return { kind: 'month', month, quarter: quarterOf(month), range: [period.from, period.to] };
}

/** A key that changes when the request changes (the period and the unit), to reload only then. */
export function queryKey(period: ReportPeriod, unitId: number | null): string {
  return `${period.from}|${period.to}|${unitId ?? ''}`;
}

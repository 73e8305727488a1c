import packageData from 'chinese-days/dist/chinese-days.json';
import type { DayInfo } from './day-kind';
import { formatLocalDate, isWeekend, yearOf } from './local-date';

/** Classifies a local day without overrides. The working calendar takes one; tests may pass the weekday rule alone. */
export interface DayClassifier {
  classify(dayNumber: number): DayInfo;
}

/** Monday to Friday work, Saturday and Sunday do not: all we can say of a year whose holiday notice is not known. */
export function weekdayRuleDay(dayNumber: number): DayInfo {
  return { date: formatLocalDate(dayNumber), kind: isWeekend(dayNumber) ? 'weekend' : 'workday', name: null, source: 'weekday-rule' };
}

export const weekdayRule: DayClassifier = { classify: weekdayRuleDay };

/** The package's published tables: date → "English,中文,statutory days". */
export interface HolidayTables {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * The State Council's holiday arrangements as published by the `chinese-days` package (1.5.x: 2004–2026, with
 * make-up working days). We read the package's documented JSON tables (dist/chinese-days.json) rather than call
 * getDayDetail/isWorkday: those build their tables with the process's local-time Date getters, and in a process
 * whose TZ is west of UTC every date comes out one day early (TZ=America/Los_Angeles: 2026-02-14 is "not a
 * working day"). The tables are the same data without that trap; builtin-calendar.spec.ts checks they agree
 * with getDayDetail day by day.
 *
 * For a year the package does not know it would silently answer by weekday; we say so with the source
 * `weekday-rule`, so an admin knows to enter that year's notice as overrides.
 */
export class BuiltinCalendar implements DayClassifier {
  private readonly days = new Map<number, DayInfo>();
  private readonly years: ReadonlySet<number>;

  constructor(private readonly tables: HolidayTables = packageData) {
    this.years = new Set([...Object.keys(tables.holidays), ...Object.keys(tables.workdays)].map((date) => Number(date.slice(0, 4))));
  }

  classify(dayNumber: number): DayInfo {
    let info = this.days.get(dayNumber);
    if (!info) {
      info = this.lookUp(dayNumber);
      this.days.set(dayNumber, info);
    }
    return info;
  }

  /** Whether the package carries the holiday notice of `year`. */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  private lookUp(dayNumber: number): DayInfo {
    if (!this.knowsYear(yearOf(dayNumber))) return weekdayRuleDay(dayNumber);
    const date = formatLocalDate(dayNumber);
    const weekend = isWeekend(dayNumber);
    const workday = this.tables.workdays[date];
    if (workday !== undefined) {
      return weekend ? { date, kind: 'makeup_workday', name: chineseName(workday), source: 'builtin' } : { date, kind: 'workday', name: null, source: 'builtin' };
    }
    const holiday = this.tables.holidays[date];
    if (holiday !== undefined) return { date, kind: 'holiday', name: chineseName(holiday), source: 'builtin' };
    return { date, kind: weekend ? 'weekend' : 'workday', name: null, source: 'builtin' };
  }
}

/** 'Spring Festival,春节,4' → 春节 (null when the package gives no Chinese part). */
export function chineseName(raw: string): string | null {
  const chinese = raw.split(',')[1]?.trim();
  return chinese ? chinese : null;
}

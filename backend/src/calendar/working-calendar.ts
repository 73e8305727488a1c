import { BuiltinCalendar, type DayClassifier } from './builtin-calendar';
import { type CalendarOverride, type DayInfo, isDayKind, isWorkingKind } from './day-kind';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatLocalDate, parseLocalDate } from './local-date';
import { DEFAULT_OFFICE_HOURS, type OfficeHours, type OfficePeriod, describeOfficeHours, parseOfficeHours } from '../common/office-hours';
import { TimeZone } from './time-zone';

export const DEFAULT_CALENDAR_TIME_ZONE = 'Asia/Shanghai';

/** The most days one `days()` call lists (the API's limit too). */
export const MAX_DAYS_PER_LISTING = 400;

/** How far ahead a due date may lie; a search past it means an impossible calendar (e.g. every day overridden off). */
export const MAX_SCAN_DAYS = 36_600;

export const DUE_UNITS = ['working_days', 'working_hours', 'calendar_hours'] as const;
export type DueUnit = (typeof DUE_UNITS)[number];

export interface WorkingCalendarOptions {
  /** Holiday data beneath the overrides; default the `chinese-days` package. */
  classifier?: DayClassifier;
  /** "HH:MM-HH:MM" periods, a list or one comma-separated string; default 08:30-12:00, 13:30-17:30. */
  officeHours?: string | readonly string[];
  /** IANA time zone of the center; default Asia/Shanghai. */
  timeZone?: string;
  overrides?: Iterable<CalendarOverride>;
}

/**
 * China's working calendar for deadlines: which days work (overrides › chinese-days › weekday rule), the office
 * hours of a working day, and due-time arithmetic exact to the millisecond (docs/calendar.md is the contract).
 * Pure and synchronous: instants in and out are Dates; days are local dates of the configured zone.
 * All arithmetic runs on local wall-clock time and steps whole days, never single minutes.
 */
export class WorkingCalendar {
  readonly timeZone: TimeZone;
  private readonly hours: OfficeHours;
  private readonly classifier: DayClassifier;
  private overrideDays = new Map<number, { info: DayInfo; override: CalendarOverride }>();

  constructor(options: WorkingCalendarOptions = {}) {
    this.timeZone = new TimeZone(options.timeZone ?? DEFAULT_CALENDAR_TIME_ZONE);
    this.hours = parseOfficeHours(options.officeHours ?? DEFAULT_OFFICE_HOURS);
    this.classifier = options.classifier ?? new BuiltinCalendar();
    if (options.overrides) this.replaceOverrides(options.overrides);
  }

  /** Time zone and office hours as configured, for the API and the console. */
  get settings(): { timeZone: string; officeHours: string[]; officeMinutesPerDay: number } {
    return { timeZone: this.timeZone.name, officeHours: describeOfficeHours(this.hours), officeMinutesPerDay: this.hours.msPerDay / MINUTE_MS };
  }

  /**
   * Swaps in the whole override table at once (validated first: on a bad row nothing changes). The caller loads it
   * from the database at start-up and after every admin change.
   */
  replaceOverrides(overrides: Iterable<CalendarOverride>): void {
    const next = new Map<number, { info: DayInfo; override: CalendarOverride }>();
    for (const override of overrides) {
      const day = parseLocalDate(override.date, 'override date');
      if (!isDayKind(override.kind)) {
        throw new RangeError(`override ${override.date} has kind ${JSON.stringify(override.kind)}; expected workday, weekend, holiday or makeup_workday`);
      }
      if (next.has(day)) throw new RangeError(`override ${override.date} is given twice`);
      const copy: CalendarOverride = { date: override.date, kind: override.kind, name: override.name ?? null, note: override.note ?? null };
      next.set(day, { info: { date: override.date, kind: override.kind, name: copy.name ?? null, source: 'override' }, override: copy });
    }
    this.overrideDays = next;
  }

  overrides(): CalendarOverride[] {
    return [...this.overrideDays.values()].map(({ override }) => ({ ...override })).sort((a, b) => a.date.localeCompare(b.date));
  }

  /** A local date (YYYY-MM-DD), or the local date of an instant in the calendar's zone. */
  dayInfo(date: string | Date): DayInfo {
    return { ...this.infoOf(this.dayNumberOf(date)) };
  }

  /** Every day from `from` to `to`, both included, at most 400. */
  days(from: string, to: string): DayInfo[] {
    const first = parseLocalDate(from, 'from');
    const last = parseLocalDate(to, 'to');
    if (last < first) throw new RangeError(`to (${to}) must not be before from (${from})`);
    const count = last - first + 1;
    if (count > MAX_DAYS_PER_LISTING) throw new RangeError(`at most ${MAX_DAYS_PER_LISTING} days a call; ${from} to ${to} is ${count} days`);
    const list: DayInfo[] = [];
    for (let day = first; day <= last; day++) list.push({ ...this.infoOf(day) });
    return list;
  }

  isWorkingDay(date: string | Date): boolean {
    return this.isWorkingDayNumber(this.dayNumberOf(date));
  }

  /** Whether the instant lies in office hours of a working day (periods are half-open: 12:00 and 17:30 are not). */
  isOfficeTime(instant: Date): boolean {
    const local = this.toLocal(instant, 'instant');
    return this.nextOfficeLocal(local) === local;
  }

  /** The instant itself inside office hours; otherwise the next opening (lunch → 13:30, evening or a day off → the next working day's 08:30). */
  nextOfficeMinute(instant: Date): Date {
    return this.toInstant(this.nextOfficeLocal(this.toLocal(instant, 'instant')));
  }

  /**
   * Counts only office time, after moving the start to its next office minute. A due that lands exactly on the end
   * of a period stays there (17:30, not the next 08:30). Zero hours → the moved start.
   */
  addWorkingHours(start: Date, hours: number): Date {
    return this.addWorkingMs(start, durationMs(hours, HOUR_MS, 'hours'));
  }

  addWorkingMinutes(start: Date, minutes: number): Date {
    return this.addWorkingMs(start, durationMs(minutes, MINUTE_MS, 'minutes'));
  }

  /**
   * After moving the start to its next office minute: the same clock time on the n-th following working day.
   * Zero days → the moved start.
   */
  addWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
    const from = this.nextOfficeLocal(this.toLocal(start, 'start'));
    let day = Math.floor(from / DAY_MS);
    const clock = from - day * DAY_MS;
    const lastDay = day + MAX_SCAN_DAYS;
    for (let found = 0; found < days; ) {
      day++;
      if (day > lastDay) throw tooFar(days, 'working days');
      if (this.isWorkingDayNumber(day)) found++;
    }
    return this.toInstant(day * DAY_MS + clock);
  }

  /**
   * The mirror of addWorkingDays: after moving the start back to its last office moment (a period's end counts, so
   * 17:30 stays; lunch → 12:00; before opening or a day off → the previous working day's 17:30), the same clock time
   * on the n-th preceding working day. Zero days → the moved start. (An assisting unit's part is due one working day
   * before the lead unit's reply.)
   */
  subtractWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
    const from = this.previousOfficeLocal(this.toLocal(start, 'start'));
    let day = Math.floor(from / DAY_MS);
    const clock = from - day * DAY_MS;
    const firstDay = day - MAX_SCAN_DAYS;
    for (let found = 0; found < days; ) {
      day--;
      if (day < firstDay) throw new RangeError(`a due ${days} working days back lies more than ${MAX_SCAN_DAYS} days away`);
      if (this.isWorkingDayNumber(day)) found++;
    }
    return this.toInstant(day * DAY_MS + clock);
  }

  /** Plain elapsed time: urgent and critical orders run around the clock. */
  addCalendarHours(start: Date, hours: number): Date {
    return new Date(instantMs(start, 'start') + durationMs(hours, HOUR_MS, 'hours'));
  }

  due(start: Date, amount: number, unit: DueUnit): Date {
    switch (unit) {
      case 'working_days':
        return this.addWorkingDays(start, amount);
      case 'working_hours':
        return this.addWorkingHours(start, amount);
      case 'calendar_hours':
        return this.addCalendarHours(start, amount);
      default:
        throw new RangeError(`unit must be one of ${DUE_UNITS.join(', ')}, got ${JSON.stringify(unit)}`);
    }
  }

  /**
   * Office time between two instants, in minutes (with a fraction when they are not whole minutes). Antisymmetric:
   * negative when `to` is before `from` (remaining time of an overdue order), zero when they are equal.
   */
  workingMinutesBetween(from: Date, to: Date): number {
    return this.workingMsBetween(from, to) / MINUTE_MS;
  }

  workingMsBetween(from: Date, to: Date): number {
    const a = this.toLocal(from, 'from');
    const b = this.toLocal(to, 'to');
    return b >= a ? this.officeMsWithin(a, b) : 0 - this.officeMsWithin(b, a); // 0 - x: never -0
  }

  private addWorkingMs(start: Date, amountMs: number): Date {
    const from = this.nextOfficeLocal(this.toLocal(start, 'start'));
    if (amountMs === 0) return this.toInstant(from);
    const { periods, msPerDay } = this.hours;
    let day = Math.floor(from / DAY_MS);
    let clock = from - day * DAY_MS;
    let remaining = amountMs;
    for (const lastDay = day + MAX_SCAN_DAYS; day <= lastDay; day++, clock = 0) {
      if (!this.isWorkingDayNumber(day)) continue;
      if (clock <= periods[0].startMs && remaining > msPerDay) {
        remaining -= msPerDay;
        continue;
      }
      for (const period of periods) {
        if (clock >= period.endMs) continue;
        const opensAt = Math.max(clock, period.startMs);
        const open = period.endMs - opensAt;
        if (remaining <= open) return this.toInstant(day * DAY_MS + opensAt + remaining);
        remaining -= open;
      }
    }
    throw tooFar(amountMs / HOUR_MS, 'working hours');
  }

  /** Office ms in the local interval [a, b), a ≤ b. */
  private officeMsWithin(a: number, b: number): number {
    const firstDay = Math.floor(a / DAY_MS);
    const lastDay = Math.floor(b / DAY_MS);
    let total = 0;
    for (let day = firstDay; day <= lastDay; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      const from = day === firstDay ? a - day * DAY_MS : 0;
      const to = day === lastDay ? b - day * DAY_MS : DAY_MS;
      total += from === 0 && to === DAY_MS ? this.hours.msPerDay : officeMsOfDay(this.hours.periods, from, to);
    }
    return total;
  }

  private nextOfficeLocal(local: number): number {
    let day = Math.floor(local / DAY_MS);
    let clock = local - day * DAY_MS;
    for (const lastDay = day + MAX_SCAN_DAYS; day <= lastDay; day++, clock = 0) {
      if (!this.isWorkingDayNumber(day)) continue;
      for (const period of this.hours.periods) {
        if (clock < period.endMs) return day * DAY_MS + Math.max(clock, period.startMs);
      }
    }
    throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${formatLocalDate(Math.floor(local / DAY_MS))}: check the calendar overrides`);
  }

  /** The local instant itself inside office hours or at a period's end; otherwise the last period end before it. */
  private previousOfficeLocal(local: number): number {
    let day = Math.floor(local / DAY_MS);
    let clock = local - day * DAY_MS;
    for (const firstDay = day - MAX_SCAN_DAYS; day >= firstDay; day--, clock = DAY_MS) {
      if (!this.isWorkingDayNumber(day)) continue;
      for (let i = this.hours.periods.length - 1; i >= 0; i--) {
        const period = this.hours.periods[i];
        if (clock >= period.startMs) return day * DAY_MS + Math.min(clock, period.endMs);
      }
    }
    throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days before ${formatLocalDate(Math.floor(local / DAY_MS))}: check the calendar overrides`);
  }

  private infoOf(day: number): DayInfo {
    return this.overrideDays.get(day)?.info ?? this.classifier.classify(day);
  }

  private isWorkingDayNumber(day: number): boolean {
    return isWorkingKind(this.infoOf(day).kind);
  }

  private dayNumberOf(date: string | Date): number {
    if (date instanceof Date) return Math.floor(this.toLocal(date, 'date') / DAY_MS);
    return parseLocalDate(date);
  }

  private toLocal(instant: Date, label: string): number {
    return this.timeZone.toLocalMs(instantMs(instant, label));
  }

  private toInstant(local: number): Date {
    return new Date(this.timeZone.toUtcMs(local));
  }
}

function officeMsOfDay(periods: readonly OfficePeriod[], from: number, to: number): number {
  let total = 0;
  for (const period of periods) {
    const overlap = Math.min(to, period.endMs) - Math.max(from, period.startMs);
    if (overlap > 0) total += overlap;
  }
  return total;
}

function instantMs(value: Date, label: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${label} must be a valid Date`);
  return ms;
}

function durationMs(amount: number, unitMs: number, unit: string): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) throw new RangeError(`${unit} must be a finite number ≥ 0, got ${amount}`);
  return Math.round(amount * unitMs);
}

function tooFar(amount: number, unit: string): RangeError {
  return new RangeError(`a due ${amount} ${unit} ahead lies more than ${MAX_SCAN_DAYS} days away`);
}

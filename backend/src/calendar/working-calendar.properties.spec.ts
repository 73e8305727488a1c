import fc from 'fast-check';
import { WorkingCalendar } from './working-calendar';

/** Property tests of the arithmetic's invariants over 2025-12-20 … 2027-02 (2026's holidays and the unknown 2027). */
const SEED = 20_260_101;
const RUNS = 300;
const MINUTE = 60_000;
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const BASE = Date.parse('2025-12-20T00:00:00+08:00');

const sut = new WorkingCalendar();

/** Instants biased to the boundaries: opening, lunch start and end, closing, midnight, ±1 minute. */
const clockMinute = fc.oneof(fc.constantFrom(0, 509, 510, 511, 719, 720, 721, 809, 810, 811, 1049, 1050, 1051, 1439), fc.integer({ min: 0, max: 1439 }));
const instant = fc
  .tuple(fc.integer({ min: 0, max: 420 }), clockMinute, fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MINUTE - 1 })))
  .map(([day, minute, ms]) => new Date(BASE + day * DAY + minute * MINUTE + ms));
const minuteInstant = fc.tuple(fc.integer({ min: 0, max: 420 }), clockMinute).map(([day, minute]) => new Date(BASE + day * DAY + minute * MINUTE));
/** Up to 25 office days of minutes. */
const officeMinutes = fc.integer({ min: 0, max: 25 * 450 });
const workingDays = fc.integer({ min: 0, max: 30 });

const check = <T extends unknown[]>(...args: [...{ [K in keyof T]: fc.Arbitrary<T[K]> }, (...values: T) => void]) =>
  fc.assert((fc.property as (...a: unknown[]) => fc.IPropertyWithHooks<T>)(...args), { seed: SEED, numRuns: RUNS });

const localClock = (at: Date): number => (at.getTime() + SHANGHAI) % DAY;

/** An independent reading of "office minute": the day's kind plus the default periods, by local clock. */
const workingByDate = new Map<string, boolean>();
function isOfficeMinuteReference(at: number): boolean {
  const local = new Date(at + SHANGHAI);
  const date = local.toISOString().slice(0, 10);
  let working = workingByDate.get(date);
  if (working === undefined) {
    working = sut.isWorkingDay(date);
    workingByDate.set(date, working);
  }
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return working && ((minute >= 510 && minute < 720) || (minute >= 810 && minute < 1050));
}

describe('WorkingCalendar invariants (fast-check, seed 20260101)', () => {
  it('between(start, addWorkingHours(start, h)) = 60 h, from the start and from the moved start', () => {
    check(instant, officeMinutes, (start, minutes) => {
      const due = sut.addWorkingHours(start, minutes / 60);
      expect(sut.workingMinutesBetween(start, due)).toBe(minutes);
      expect(sut.workingMinutesBetween(sut.nextOfficeMinute(start), due)).toBe(minutes);
    });
  });

  it('working-hour dues are inside office hours or at the end of a period', () => {
    check(instant, officeMinutes, (start, minutes) => {
      const due = sut.addWorkingHours(start, minutes / 60);
      if (minutes === 0) expect(sut.isOfficeTime(due)).toBe(true);
      else expect(sut.isOfficeTime(new Date(due.getTime() - 1))).toBe(true);
      if (!sut.isOfficeTime(due)) expect([720, 1050].map((minute) => minute * MINUTE)).toContain(localClock(due));
    });
  });

  it('addWorkingHours is strictly monotone in the amount and monotone in the start', () => {
    check(instant, instant, officeMinutes, officeMinutes, (a, b, m, n) => {
      const [early, late] = a <= b ? [a, b] : [b, a];
      const [less, more] = m <= n ? [m, n] : [n, m];
      expect(sut.addWorkingHours(early, less / 60).getTime()).toBeLessThanOrEqual(sut.addWorkingHours(late, less / 60).getTime());
      if (less < more) expect(sut.addWorkingHours(early, less / 60).getTime()).toBeLessThan(sut.addWorkingHours(early, more / 60).getTime());
    });
  });

  it('addWorkingDays lands on a working day, in office hours, at the moved start’s clock time, n working days later', () => {
    check(instant, workingDays, (start, days) => {
      const moved = sut.nextOfficeMinute(start);
      const due = sut.addWorkingDays(start, days);
      expect(sut.isWorkingDay(due)).toBe(true);
      expect(sut.isOfficeTime(due)).toBe(true);
      expect(localClock(due)).toBe(localClock(moved));
      const from = sut.dayInfo(moved).date;
      const to = sut.dayInfo(due).date;
      const between = sut.days(from, to).slice(1);
      expect(between.filter((day) => day.kind === 'workday' || day.kind === 'makeup_workday')).toHaveLength(days);
    });
  });

  it('addWorkingDays is strictly monotone in the amount and monotone in the start', () => {
    check(instant, instant, workingDays, workingDays, (a, b, m, n) => {
      const [early, late] = a <= b ? [a, b] : [b, a];
      const [less, more] = m <= n ? [m, n] : [n, m];
      expect(sut.addWorkingDays(early, less).getTime()).toBeLessThanOrEqual(sut.addWorkingDays(late, less).getTime());
      if (less < more) expect(sut.addWorkingDays(early, less).getTime()).toBeLessThan(sut.addWorkingDays(early, more).getTime());
    });
  });

  it('n working days and 7.5 n working hours differ by no office time (only by the choice 12:00 vs 13:30 or 17:30 vs 08:30)', () => {
    check(instant, workingDays, (start, days) => {
      expect(sut.workingMinutesBetween(sut.addWorkingHours(start, 7.5 * days), sut.addWorkingDays(start, days))).toBe(0);
    });
  });

  it('workingMinutesBetween is antisymmetric and additive', () => {
    check(instant, instant, instant, (a, b, c) => {
      expect(sut.workingMinutesBetween(b, a)).toBe(0 - sut.workingMinutesBetween(a, b));
      const sum = sut.workingMsBetween(a, b) + sut.workingMsBetween(b, c);
      expect(sum).toBe(sut.workingMsBetween(a, c));
    });
  });

  it('nextOfficeMinute is the first office instant at or after the start', () => {
    check(instant, (start) => {
      const next = sut.nextOfficeMinute(start);
      expect(next.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(sut.isOfficeTime(next)).toBe(true);
      expect(sut.nextOfficeMinute(next)).toEqual(next);
      expect(sut.workingMinutesBetween(start, next)).toBe(0);
    });
  });

  it('workingMinutesBetween equals a minute-by-minute count (up to 4 days apart)', () => {
    check(minuteInstant, fc.integer({ min: 0, max: 4 * 1440 }), (from, span) => {
      let count = 0;
      for (let t = from.getTime(); t < from.getTime() + span * MINUTE; t += MINUTE) if (isOfficeMinuteReference(t)) count++;
      expect(sut.workingMinutesBetween(from, new Date(from.getTime() + span * MINUTE))).toBe(count);
    });
  });

  it('addWorkingMinutes equals a minute-by-minute walk (up to two office days)', () => {
    check(minuteInstant, fc.integer({ min: 1, max: 900 }), (start, minutes) => {
      let t = start.getTime();
      for (let left = minutes; left > 0; t += MINUTE) if (isOfficeMinuteReference(t)) left--;
      expect(sut.addWorkingMinutes(start, minutes).getTime()).toBe(t);
    });
  });
});

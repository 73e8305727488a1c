import { weekdayRule } from './builtin-calendar';
import { WorkingCalendar } from './working-calendar';

/** Local wall-clock time of the default zone (Asia/Shanghai) → instant, and back. */
const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}+08:00`);
const show = (instant: Date): string => {
  const text = new Date(instant.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ');
  return text.endsWith(':00.000Z') ? text.slice(0, 16) : text.slice(0, 23);
};

describe('WorkingCalendar', () => {
  const sut = new WorkingCalendar();

  describe('days', () => {
    it('lists each day with kind, name and source, both ends included', () => {
      expect(sut.days('2026-01-01', '2026-01-05')).toEqual([
        { date: '2026-01-01', kind: 'holiday', name: '元旦', source: 'builtin' },
        { date: '2026-01-02', kind: 'holiday', name: '元旦', source: 'builtin' },
        { date: '2026-01-03', kind: 'holiday', name: '元旦', source: 'builtin' },
        { date: '2026-01-04', kind: 'makeup_workday', name: '元旦', source: 'builtin' },
        { date: '2026-01-05', kind: 'workday', name: null, source: 'builtin' },
      ]);
    });

    it('crosses into 2027 with the weekday rule', () => {
      expect(sut.days('2026-12-31', '2027-01-02').map((day) => [day.date, day.kind, day.source])).toEqual([
        ['2026-12-31', 'workday', 'builtin'],
        ['2027-01-01', 'workday', 'weekday-rule'],
        ['2027-01-02', 'weekend', 'weekday-rule'],
      ]);
    });

    it('lists at most 400 days', () => {
      expect(sut.days('2026-01-01', '2027-02-04')).toHaveLength(400);
      expect(() => sut.days('2026-01-01', '2027-02-05')).toThrow(new RangeError('at most 400 days a call; 2026-01-01 to 2027-02-05 is 401 days'));
    });

    it.each([
      ['2026-01-05', '2026-01-04', /to \(2026-01-04\) must not be before from/],
      ['2026-1-5', '2026-01-06', /from must be a date as YYYY-MM-DD/],
      ['2026-02-29', '2026-03-01', /from is not a real calendar date: 2026-02-29/],
    ])('refuses from=%s to=%s', (from, to, message) => {
      expect(() => sut.days(from, to)).toThrow(RangeError);
      expect(() => sut.days(from, to)).toThrow(message);
    });
  });

  describe('dayInfo and isWorkingDay', () => {
    it('takes a local date or the local date of an instant', () => {
      expect(sut.dayInfo('2026-10-10')).toEqual({ date: '2026-10-10', kind: 'makeup_workday', name: '国庆节', source: 'builtin' });
      // 2026-10-09T16:30Z is 00:30 on Sat 10-10 in Shanghai.
      expect(sut.dayInfo(new Date('2026-10-09T16:30:00Z')).date).toBe('2026-10-10');
      expect(sut.isWorkingDay(new Date('2026-10-09T16:30:00Z'))).toBe(true);
      expect(sut.isWorkingDay('2026-10-07')).toBe(false);
      expect(sut.isWorkingDay('2026-03-14')).toBe(false);
    });
  });

  describe('nextOfficeMinute', () => {
    it.each([
      ['before opening', '2026-03-09 07:00', '2026-03-09 08:30'],
      ['a second before opening', '2026-03-09 08:29:59', '2026-03-09 08:30'],
      ['exactly 08:30', '2026-03-09 08:30', '2026-03-09 08:30'],
      ['a minute before lunch', '2026-03-09 11:59', '2026-03-09 11:59'],
      ['lunch start 12:00', '2026-03-09 12:00', '2026-03-09 13:30'],
      ['lunch', '2026-03-09 13:29', '2026-03-09 13:30'],
      ['lunch end 13:30', '2026-03-09 13:30', '2026-03-09 13:30'],
      ['a minute before closing', '2026-03-09 17:29', '2026-03-09 17:29'],
      ['17:30 exactly', '2026-03-09 17:30', '2026-03-10 08:30'],
      ['Friday evening', '2026-03-13 17:30', '2026-03-16 08:30'],
      ['a Saturday', '2026-03-14 10:00', '2026-03-16 08:30'],
      ['holiday eve, National Day', '2026-09-30 17:30', '2026-10-08 08:30'],
      ['in the Spring Festival', '2026-02-15 10:00', '2026-02-24 08:30'],
      ['a holiday Saturday before a make-up Sunday', '2026-01-03 10:00', '2026-01-04 08:30'],
      ['Friday evening before the make-up Saturday 05-09', '2026-05-08 20:00', '2026-05-09 08:30'],
      ['inside the make-up Saturday 02-14', '2026-02-14 09:00', '2026-02-14 09:00'],
      ['year end into 2027 (weekday rule)', '2026-12-31 18:00', '2027-01-01 08:30'],
      ['midnight', '2026-03-10 00:00', '2026-03-10 08:30'],
    ])('%s: %s → %s', (_, start, expected) => {
      expect(show(sut.nextOfficeMinute(at(start)))).toBe(expected);
    });

    it('tells office time with half-open periods', () => {
      expect(['08:29', '08:30', '11:59', '12:00', '13:30', '17:29', '17:30'].map((clock) => sut.isOfficeTime(at(`2026-03-09 ${clock}`)))).toEqual([
        false,
        true,
        true,
        false,
        true,
        true,
        false,
      ]);
    });
  });

  describe('addWorkingHours', () => {
    it.each([
      ['from opening', '2026-03-09 08:30', 2, '2026-03-09 10:30'],
      ['before opening: starts at 08:30', '2026-03-09 07:00', 2, '2026-03-09 10:30'],
      ['ending exactly at lunch stays at 12:00', '2026-03-09 11:00', 1, '2026-03-09 12:00'],
      ['across lunch', '2026-03-09 11:00', 2, '2026-03-09 14:30'],
      ['from lunch: starts at 13:30', '2026-03-09 12:30', 1, '2026-03-09 14:30'],
      ['ending exactly at 17:30 stays at 17:30', '2026-03-09 16:30', 1, '2026-03-09 17:30'],
      ['across the night', '2026-03-09 16:30', 2, '2026-03-10 09:30'],
      ['from 17:30 exactly', '2026-03-09 17:30', 2, '2026-03-10 10:30'],
      ['one whole office day', '2026-03-09 08:30', 7.5, '2026-03-09 17:30'],
      ['two whole office days', '2026-03-09 08:30', 15, '2026-03-10 17:30'],
      ['a day from mid-morning', '2026-03-09 09:00', 7.5, '2026-03-10 09:00'],
      ['a quarter hour', '2026-03-09 10:00', 0.25, '2026-03-09 10:15'],
      ['one and a half', '2026-03-09 10:00', 1.5, '2026-03-09 11:30'],
      ['over a weekend', '2026-03-13 16:30', 2, '2026-03-16 09:30'],
      ['holiday eve into National Day', '2026-09-30 16:30', 2, '2026-10-08 09:30'],
      ['into the make-up Saturday 05-09', '2026-05-08 16:00', 2, '2026-05-09 09:00'],
      ['into the make-up Saturday 02-14', '2026-02-13 17:00', 1, '2026-02-14 09:00'],
      ['from the make-up Saturday over the Spring Festival', '2026-02-14 17:00', 2, '2026-02-24 10:00'],
      ['the Spring Festival eve acceptance limit', '2026-02-13 16:00', 2, '2026-02-14 09:00'],
      ['Qingming', '2026-04-03 17:00', 1, '2026-04-07 09:00'],
      ['Dragon Boat', '2026-06-18 17:00', 1, '2026-06-22 09:00'],
      ['Mid-Autumn', '2026-09-24 17:00', 1, '2026-09-28 09:00'],
      ['into the make-up Sunday 09-20', '2026-09-18 17:00', 1, '2026-09-20 09:00'],
      ['New Year 2026 into the make-up Sunday', '2025-12-31 17:00', 1, '2026-01-04 09:00'],
      ['year end into 2027 (weekday rule: 2027-01-01 works)', '2026-12-31 17:00', 1, '2027-01-01 09:00'],
      ['zero hours from lunch: the moved start', '2026-03-09 12:30', 0, '2026-03-09 13:30'],
      ['seconds are kept', '2026-03-09 10:00:30', 1, '2026-03-09 11:00:30.000'],
    ])('%s: %s + %s h → %s', (_, start, hours, expected) => {
      expect(show(sut.addWorkingHours(at(start), hours))).toBe(expected);
    });

    it('takes a long limit in whole-day steps (10 working days = 75 h)', () => {
      // 09-29, 09-30, 10-08, 10-09, Sat 10-10 (make-up), 10-12 … 10-16.
      expect(show(sut.addWorkingHours(at('2026-09-28 10:00'), 75))).toBe('2026-10-16 10:00');
      expect(sut.addWorkingHours(at('2026-09-28 10:00'), 75)).toEqual(sut.addWorkingDays(at('2026-09-28 10:00'), 10));
    });

    it('differs from whole working days only by lunch: 13:30 + 7.5 h = 12:00 next day, + 1 working day = 13:30', () => {
      expect(show(sut.addWorkingHours(at('2026-03-09 13:30'), 7.5))).toBe('2026-03-10 12:00');
      expect(show(sut.addWorkingDays(at('2026-03-09 13:30'), 1))).toBe('2026-03-10 13:30');
      expect(sut.workingMinutesBetween(at('2026-03-10 12:00'), at('2026-03-10 13:30'))).toBe(0);
    });

    it('adds minutes the same way', () => {
      expect(show(sut.addWorkingMinutes(at('2026-03-09 11:50'), 20))).toBe('2026-03-09 13:40');
    });

    it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses %s hours', (hours) => {
      expect(() => sut.addWorkingHours(at('2026-03-09 10:00'), hours)).toThrow(/hours must be a finite number ≥ 0/);
    });

    it('refuses an invalid Date', () => {
      expect(() => sut.addWorkingHours(new Date('nonsense'), 1)).toThrow(new RangeError('start must be a valid Date'));
    });
  });

  describe('addWorkingDays', () => {
    it.each([
      ['Wed + 5 = next Wed', '2026-03-04 10:00', 5, '2026-03-11 10:00'],
      ['Wed 09-30 + 1 over National Day', '2026-09-30 15:00', 1, '2026-10-08 15:00'],
      ['Fri evening + 1: start moves to the make-up Saturday', '2026-05-08 20:00', 1, '2026-05-11 08:30'],
      ['Fri + 1 = the make-up Saturday 05-09', '2026-05-08 10:00', 1, '2026-05-09 10:00'],
      ['Fri + 1 = the make-up Saturday 02-28', '2026-02-27 10:00', 1, '2026-02-28 10:00'],
      ['Fri + 1 = the make-up Saturday 10-10', '2026-10-09 10:00', 1, '2026-10-10 10:00'],
      ['Fri + 1 = the make-up Sunday 09-20', '2026-09-18 10:00', 1, '2026-09-20 10:00'],
      ['Thu + 2 reaches the make-up Saturday 02-14', '2026-02-12 09:00', 2, '2026-02-14 09:00'],
      ['Fri + 2 jumps the Spring Festival', '2026-02-13 09:00', 2, '2026-02-24 09:00'],
      ['New Year: + 1 = the make-up Sunday 01-04', '2025-12-31 10:00', 1, '2026-01-04 10:00'],
      ['Qingming', '2026-04-03 10:00', 1, '2026-04-07 10:00'],
      ['Labour Day', '2026-04-30 10:00', 1, '2026-05-06 10:00'],
      ['Dragon Boat', '2026-06-18 10:00', 1, '2026-06-22 10:00'],
      ['Mid-Autumn', '2026-09-24 10:00', 1, '2026-09-28 10:00'],
      ['lunch: the start moves to 13:30', '2026-03-09 12:15', 1, '2026-03-10 13:30'],
      ['17:29 keeps its clock time', '2026-03-09 17:29', 1, '2026-03-10 17:29'],
      ['17:30 moves to the next morning first', '2026-03-09 17:30', 1, '2026-03-11 08:30'],
      ['before opening', '2026-03-09 06:00', 1, '2026-03-10 08:30'],
      ['zero days: the moved start', '2026-03-08 10:00', 0, '2026-03-09 08:30'],
      ['year end into 2027 (weekday rule: 2027-01-01 works)', '2026-12-25 10:00', 5, '2027-01-01 10:00'],
      ['10 working days over National Day and the make-up Saturday 10-10', '2026-09-28 10:00', 10, '2026-10-16 10:00'],
    ])('%s: %s + %s → %s', (_, start, days, expected) => {
      expect(show(sut.addWorkingDays(at(start), days))).toBe(expected);
    });

    it.each([[1.5], [-1]])('refuses %s working days', (days) => {
      expect(() => sut.addWorkingDays(at('2026-03-09 10:00'), days)).toThrow(/working days must be a whole number ≥ 0/);
    });
  });

  describe('subtractWorkingDays', () => {
    it.each([
      ['Wed - 5 = previous Wed', '2026-03-11 10:00', 5, '2026-03-04 10:00'],
      ['Mon - 1 = Fri', '2026-03-09 10:00', 1, '2026-03-06 10:00'],
      ['a period end keeps its clock time', '2026-03-09 17:30', 1, '2026-03-06 17:30'],
      ['Thu 10-08 - 1 over National Day', '2026-10-08 15:00', 1, '2026-09-30 15:00'],
      ['Mon - 1 = the make-up Saturday 10-10', '2026-10-12 10:00', 1, '2026-10-10 10:00'],
      ['Tue 02-24 - 2 jumps the Spring Festival', '2026-02-24 09:00', 2, '2026-02-13 09:00'],
      ['lunch: the start moves back to 12:00', '2026-03-10 12:15', 1, '2026-03-09 12:00'],
      ['before opening: the start moves back to the previous evening', '2026-03-10 06:00', 1, '2026-03-06 17:30'],
      ['a Sunday: the start moves back to Friday 17:30', '2026-03-08 10:00', 1, '2026-03-05 17:30'],
      ['zero days: the moved start', '2026-03-08 10:00', 0, '2026-03-06 17:30'],
      ['back over the year end (weekday rule: 2027-01-01 works)', '2027-01-04 10:00', 1, '2027-01-01 10:00'],
    ])('%s: %s - %s → %s', (_, start, days, expected) => {
      expect(show(sut.subtractWorkingDays(at(start), days))).toBe(expected);
    });

    it('undoes addWorkingDays for an instant inside office hours', () => {
      for (const start of ['2026-02-12 09:00', '2026-09-30 15:00', '2026-05-08 10:00', '2026-03-09 17:29']) {
        for (const days of [1, 2, 5, 10]) expect(show(sut.subtractWorkingDays(sut.addWorkingDays(at(start), days), days))).toBe(start);
      }
    });

    it.each([[1.5], [-1]])('refuses %s working days', (days) => {
      expect(() => sut.subtractWorkingDays(at('2026-03-09 10:00'), days)).toThrow(/working days must be a whole number ≥ 0/);
    });
  });

  describe('addCalendarHours and due', () => {
    it('adds plain elapsed time, nights and holidays included', () => {
      expect(show(sut.addCalendarHours(at('2026-09-30 23:00'), 2))).toBe('2026-10-01 01:00');
      expect(show(sut.addCalendarHours(at('2026-10-01 03:00'), 0.5))).toBe('2026-10-01 03:30');
      expect(show(sut.addCalendarHours(at('2026-10-01 03:00'), 0))).toBe('2026-10-01 03:00');
    });

    it('dispatches on the unit', () => {
      const start = at('2026-09-30 15:00');
      expect(show(sut.due(start, 1, 'working_days'))).toBe('2026-10-08 15:00');
      expect(show(sut.due(start, 2.5, 'working_hours'))).toBe('2026-09-30 17:30');
      expect(show(sut.due(start, 3.5, 'working_hours'))).toBe('2026-10-08 09:30');
      expect(show(sut.due(start, 24, 'calendar_hours'))).toBe('2026-10-01 15:00');
      expect(() => sut.due(start, 1, 'weeks' as never)).toThrow(/unit must be one of working_days, working_hours, calendar_hours/);
    });
  });

  describe('workingMinutesBetween', () => {
    it.each([
      ['a whole day', '2026-03-09 08:00', '2026-03-09 18:00', 450],
      ['across lunch', '2026-03-09 11:00', '2026-03-09 14:00', 90],
      ['lunch only', '2026-03-09 12:00', '2026-03-09 13:30', 0],
      ['the same instant', '2026-03-09 10:00', '2026-03-09 10:00', 0],
      ['reversed: negative', '2026-03-09 14:00', '2026-03-09 11:00', -90],
      ['over National Day', '2026-09-30 17:00', '2026-10-08 09:00', 60],
      ['a weekend', '2026-03-14 00:00', '2026-03-16 00:00', 0],
      ['a make-up Saturday', '2026-05-09 00:00', '2026-05-10 00:00', 450],
      ['with seconds', '2026-03-09 10:00:30', '2026-03-09 10:01', 0.5],
      ['all of 2026: 248 working days', '2026-01-01 00:00', '2027-01-01 00:00', 248 * 450],
    ])('%s: %s → %s = %s', (_, from, to, minutes) => {
      expect(sut.workingMinutesBetween(at(from), at(to))).toBe(minutes);
    });
  });

  describe('overrides', () => {
    it('win over the package: a weekday off, a Saturday on, a make-up day cancelled', () => {
      const calendar = new WorkingCalendar({
        overrides: [
          { date: '2026-03-09', kind: 'holiday', name: '地方节日', note: 'city arrangement' },
          { date: '2026-03-14', kind: 'makeup_workday' },
          { date: '2026-10-10', kind: 'weekend', name: null },
        ],
      });
      expect(calendar.dayInfo('2026-03-09')).toEqual({ date: '2026-03-09', kind: 'holiday', name: '地方节日', source: 'override' });
      expect(calendar.dayInfo('2026-03-14')).toEqual({ date: '2026-03-14', kind: 'makeup_workday', name: null, source: 'override' });
      expect(show(calendar.addWorkingDays(at('2026-03-06 10:00'), 1))).toBe('2026-03-10 10:00');
      expect(show(calendar.nextOfficeMinute(at('2026-03-13 17:30')))).toBe('2026-03-14 08:30');
      expect(show(calendar.addWorkingDays(at('2026-10-09 10:00'), 1))).toBe('2026-10-12 10:00');
      expect(calendar.overrides()).toEqual([
        { date: '2026-03-09', kind: 'holiday', name: '地方节日', note: 'city arrangement' },
        { date: '2026-03-14', kind: 'makeup_workday', name: null, note: null },
        { date: '2026-10-10', kind: 'weekend', name: null, note: null },
      ]);
    });

    it('teach a year the package does not know (2027 New Year)', () => {
      const calendar = new WorkingCalendar({ overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] });
      expect(show(calendar.addWorkingDays(at('2026-12-25 10:00'), 5))).toBe('2027-01-04 10:00');
      expect(show(calendar.addWorkingHours(at('2026-12-31 17:00'), 1))).toBe('2027-01-04 09:00');
    });

    it('are replaced as a whole, and a bad table changes nothing', () => {
      const calendar = new WorkingCalendar({ overrides: [{ date: '2026-03-09', kind: 'holiday' }] });
      expect(() => calendar.replaceOverrides([{ date: '2026-03-10', kind: 'holiday' }, { date: '2026-13-01', kind: 'holiday' }])).toThrow(
        /override date must be a date as YYYY-MM-DD|override date is not a real calendar date/,
      );
      expect(() => calendar.replaceOverrides([{ date: '2026-03-10', kind: 'day_off' as never }])).toThrow(/kind "day_off"; expected workday, weekend, holiday or makeup_workday/);
      expect(() => calendar.replaceOverrides([{ date: '2026-03-10', kind: 'holiday' }, { date: '2026-03-10', kind: 'workday' }])).toThrow(/given twice/);
      expect(calendar.isWorkingDay('2026-03-09')).toBe(false);
      expect(calendar.isWorkingDay('2026-03-10')).toBe(true);
      calendar.replaceOverrides([]);
      expect(calendar.isWorkingDay('2026-03-09')).toBe(true);
    });

    it('cannot make the calendar loop forever', () => {
      const everyDayOff = { classify: (day: number) => ({ ...weekdayRule.classify(day), kind: 'holiday' as const }) };
      const calendar = new WorkingCalendar({ classifier: everyDayOff });
      expect(() => calendar.addWorkingDays(at('2026-03-09 10:00'), 1)).toThrow(/no working day within 36600 days after 2026-03-09/);
    });
  });

  describe('configuration', () => {
    it('takes other office hours', () => {
      const calendar = new WorkingCalendar({ officeHours: '09:00-17:00' });
      expect(show(calendar.addWorkingHours(at('2026-03-09 16:00'), 2))).toBe('2026-03-10 10:00');
      expect(calendar.settings).toEqual({ timeZone: 'Asia/Shanghai', officeHours: ['09:00-17:00'], officeMinutesPerDay: 480 });
    });

    it('works in another time zone', () => {
      const calendar = new WorkingCalendar({ timeZone: 'UTC', classifier: weekdayRule });
      expect(calendar.nextOfficeMinute(new Date('2026-03-09T07:00:00Z')).toISOString()).toBe('2026-03-09T08:30:00.000Z');
      expect(calendar.addWorkingDays(new Date('2026-03-13T10:00:00Z'), 1).toISOString()).toBe('2026-03-16T10:00:00.000Z');
    });

    it('keeps wall-clock office hours across daylight saving (America/New_York, 2026-03-08)', () => {
      const calendar = new WorkingCalendar({ timeZone: 'America/New_York', classifier: weekdayRule });
      // Fri 09:00 EST + 1 working day = Mon 09:00 EDT.
      expect(calendar.addWorkingDays(new Date('2026-03-06T14:00:00Z'), 1).toISOString()).toBe('2026-03-09T13:00:00.000Z');
      expect(calendar.workingMinutesBetween(new Date('2026-03-06T14:00:00Z'), new Date('2026-03-09T13:00:00Z'))).toBe(450);
    });

    it('refuses a bad configuration', () => {
      expect(() => new WorkingCalendar({ timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone/);
      expect(() => new WorkingCalendar({ officeHours: ['13:30-17:30', '08:30-12:00'] })).toThrow(/in order/);
    });
  });

  describe('speed', () => {
    it('computes a 10-working-day due in microseconds and a year of working time without minute loops', () => {
      const start = at('2026-01-05 10:00').getTime();
      for (let i = 0; i < 1000; i++) sut.addWorkingDays(new Date(start + i * 600_000), 10);
      let begin = process.hrtime.bigint();
      for (let i = 0; i < 10_000; i++) sut.addWorkingDays(new Date(start + i * 600_000), 10);
      const perDueUs = Number(process.hrtime.bigint() - begin) / 10_000 / 1000;
      begin = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) sut.workingMinutesBetween(new Date(start + i * 600_000), at('2027-01-05 10:00'));
      const perYearUs = Number(process.hrtime.bigint() - begin) / 100 / 1000;
      // Generous bounds for a busy machine; measured ≈ 3–20 µs and 50–150 µs.
      expect(perDueUs).toBeLessThan(100);
      expect(perYearUs).toBeLessThan(2000);
    });
  });
});

import { WorkingCalendar } from '../../calendar/working-calendar';
import { isFirstWorkingDayOfMonth, monthBefore } from './first-working-day';

/** China's calendar as shipped (chinese-days): holidays and 调休 make-up working days included. */
const calendar = new WorkingCalendar();
const isWorkingDay = (date: string) => calendar.isWorkingDay(date);
const firstWorkingDay = (month: string) => {
  const days = Array.from({ length: 31 }, (_, index) => `${month}-${String(index + 1).padStart(2, '0')}`);
  return days.filter((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && day.slice(0, 7) === new Date(`${day}T00:00:00Z`).toISOString().slice(0, 7) && isFirstWorkingDayOfMonth(day, isWorkingDay));
};

describe('isFirstWorkingDayOfMonth', () => {
  it('October 2026: the National Day holiday (10-01 … 10-07) pushes it to Thursday 10-08', () => {
    expect(firstWorkingDay('2026-10')).toEqual(['2026-10-08']);
    expect(isFirstWorkingDayOfMonth('2026-10-01', isWorkingDay)).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-10-09', isWorkingDay)).toBe(false);
  });

  it('January 2026: New Year (01-01 … 01-03) is off, and Sunday 01-04 is a 调休 working day', () => {
    expect(calendar.dayInfo('2026-01-04').kind).toBe('makeup_workday');
    expect(firstWorkingDay('2026-01')).toEqual(['2026-01-04']);
    expect(isFirstWorkingDayOfMonth('2026-01-05', isWorkingDay)).toBe(false);
  });

  it('February 2026: Sunday the 1st is off, Monday 02-02 is the first working day', () => {
    expect(firstWorkingDay('2026-02')).toEqual(['2026-02-02']);
  });

  it('a month starting on a plain Monday (June 2026) starts with its first working day', () => {
    expect(firstWorkingDay('2026-06')).toEqual(['2026-06-01']);
  });

  it('follows an override: a day made a holiday moves the first working day', () => {
    const custom = new WorkingCalendar({ overrides: [{ date: '2026-06-01', kind: 'holiday', name: '停工', note: null }] });
    expect(isFirstWorkingDayOfMonth('2026-06-01', (date) => custom.isWorkingDay(date))).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-06-02', (date) => custom.isWorkingDay(date))).toBe(true);
  });

  it('names the month before, across a year', () => {
    expect(monthBefore('2026-10-08')).toBe('2026-09');
    expect(monthBefore('2026-01-04')).toBe('2025-12');
  });
});

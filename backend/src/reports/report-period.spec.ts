import { TimeZone } from '../calendar/time-zone';
import { localDateOf, monthPeriod, periodDays, periodInstants, previousPeriod, quarterPeriod, reportPeriod, ReportPeriodError } from './report-period';

describe('report periods', () => {
  describe('reportPeriod(from, to)', () => {
    it('keeps a valid range as given, both days included', () => {
      expect(reportPeriod('2026-11-01', '2026-11-30')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
      expect(reportPeriod('2026-11-05', '2026-11-05')).toEqual({ from: '2026-11-05', to: '2026-11-05' });
    });

    it('takes up to 366 days (a leap year) and refuses 367', () => {
      // 2024 is a leap year: 2024-01-01 … 2024-12-31 is 366 days.
      expect(reportPeriod('2024-01-01', '2024-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
      // 2026-01-01 … 2027-01-02: 365 + 2 = 367 days.
      expect(() => reportPeriod('2026-01-01', '2027-01-02')).toThrow(new ReportPeriodError('the period is 367 days; a report covers at most 366 days'));
    });

    it('refuses `to` before `from`', () => {
      expect(() => reportPeriod('2026-11-30', '2026-11-01')).toThrow(new ReportPeriodError('to (2026-11-01) is before from (2026-11-30)'));
    });

    it('refuses dates that do not exist, naming the field', () => {
      expect(() => reportPeriod('2026-02-29', '2026-03-01')).toThrow(new ReportPeriodError('from is not a real calendar date: 2026-02-29'));
      expect(() => reportPeriod('2026-02-01', '2026-02-30')).toThrow(new ReportPeriodError('to is not a real calendar date: 2026-02-30'));
      // 2028 is a leap year: 02-29 exists.
      expect(reportPeriod('2028-02-29', '2028-02-29')).toEqual({ from: '2028-02-29', to: '2028-02-29' });
    });

    it('refuses text that is not a date YYYY-MM-DD', () => {
      expect(() => reportPeriod('2026-1-01', '2026-11-30')).toThrow(new ReportPeriodError('from must be a date YYYY-MM-DD, got "2026-1-01"'));
      expect(() => reportPeriod('2026-11-01', 'tomorrow')).toThrow(new ReportPeriodError('to must be a date YYYY-MM-DD, got "tomorrow"'));
    });
  });

  describe('monthPeriod', () => {
    it('covers the whole month, February by the year', () => {
      expect(monthPeriod('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
      expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
      expect(monthPeriod('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
      expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
      expect(monthPeriod('2100-02')).toEqual({ from: '2100-02-01', to: '2100-02-28' });
    });

    it('refuses anything else with the form it wants', () => {
      expect(() => monthPeriod('2026-13')).toThrow(new ReportPeriodError('month must be YYYY-MM, got "2026-13"'));
      expect(() => monthPeriod('2026-00')).toThrow(new ReportPeriodError('month must be YYYY-MM, got "2026-00"'));
      expect(() => monthPeriod('2026-1')).toThrow(new ReportPeriodError('month must be YYYY-MM, got "2026-1"'));
    });
  });

  describe('quarterPeriod', () => {
    it('covers its three months', () => {
      expect(quarterPeriod('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
      expect(quarterPeriod('2026-Q2')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
      expect(quarterPeriod('2026-Q3')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
      expect(quarterPeriod('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    });

    it('refuses a fifth quarter or another spelling', () => {
      expect(() => quarterPeriod('2026-Q5')).toThrow(new ReportPeriodError('quarter must be YYYY-Q1 … YYYY-Q4, got "2026-Q5"'));
      expect(() => quarterPeriod('2026-q1')).toThrow(new ReportPeriodError('quarter must be YYYY-Q1 … YYYY-Q4, got "2026-q1"'));
    });
  });

  describe('previousPeriod', () => {
    it('is the month before a month, across a year and into a leap February', () => {
      expect(previousPeriod(monthPeriod('2026-11'))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
      expect(previousPeriod(monthPeriod('2026-01'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
      expect(previousPeriod(monthPeriod('2028-03'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    });

    it('is the quarter before a quarter (and whole months before whole months)', () => {
      expect(previousPeriod(quarterPeriod('2026-Q1'))).toEqual({ from: '2025-10-01', to: '2025-12-31' });
      expect(previousPeriod(quarterPeriod('2026-Q4'))).toEqual({ from: '2026-07-01', to: '2026-09-30' });
      // Two whole months: the two months before.
      expect(previousPeriod(reportPeriod('2026-03-01', '2026-04-30'))).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    });

    it('is as many days just before any other range', () => {
      // 2026-11-10 … 2026-11-16 is 7 days: 11-03 … 11-09.
      expect(previousPeriod(reportPeriod('2026-11-10', '2026-11-16'))).toEqual({ from: '2026-11-03', to: '2026-11-09' });
      // 2028-03-01 … 03-10 (10 days) reaches back over the leap day: 02-20 … 02-29.
      expect(previousPeriod(reportPeriod('2028-03-01', '2028-03-10'))).toEqual({ from: '2028-02-20', to: '2028-02-29' });
    });
  });

  it('lists every day of a period', () => {
    expect(periodDays(reportPeriod('2028-02-27', '2028-03-01'))).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('spans the center’s days: Asia/Shanghai midnight is 16:00 UTC the day before', () => {
    const zone = new TimeZone('Asia/Shanghai');
    expect(periodInstants(monthPeriod('2026-11'), zone)).toEqual({ start: new Date('2026-10-31T16:00:00.000Z'), end: new Date('2026-11-30T16:00:00.000Z') });
    expect(localDateOf(new Date('2026-10-31T16:00:00.000Z'), zone)).toBe('2026-11-01');
    expect(localDateOf(new Date('2026-10-31T15:59:59.999Z'), zone)).toBe('2026-10-31');
  });
});

import { WorkingCalendar } from '../calendar/working-calendar';
import { centerDaysEndingAt } from './center-days';

describe('centerDaysEndingAt', () => {
  const zone = new WorkingCalendar({ timeZone: 'Asia/Shanghai' }).timeZone;

  it('gives the last days of the center’s calendar, today last, each from local midnight to the next', () => {
    // 2026-10-20 00:30 in Shanghai is still 10-19 in UTC: today is the 20th.
    const sut = centerDaysEndingAt(new Date('2026-10-19T16:30:00Z'), zone, 3);
    expect(sut.map((day) => day.date)).toEqual(['2026-10-18', '2026-10-19', '2026-10-20']);
    expect(sut[2].from.toISOString()).toBe('2026-10-19T16:00:00.000Z');
    expect(sut[2].to.toISOString()).toBe('2026-10-20T16:00:00.000Z');
    expect(sut[0].to).toEqual(sut[1].from);
  });

  it('spans 30 days across a month end', () => {
    const sut = centerDaysEndingAt(new Date('2026-03-01T02:00:00Z'), zone, 30);
    expect(sut).toHaveLength(30);
    expect(sut[0].date).toBe('2026-01-31');
    expect(sut[29].date).toBe('2026-03-01');
  });
});

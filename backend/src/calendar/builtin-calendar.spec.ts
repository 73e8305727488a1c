import { getDayDetail } from 'chinese-days';
import { BuiltinCalendar, chineseName, weekdayRule } from './builtin-calendar';
import type { DayKind } from './day-kind';
import { DAY_MS, formatLocalDate, parseLocalDate } from './local-date';

/** The State Council's 2026 notice as DOMAIN.md lists it: [first day, last day, name]. */
const HOLIDAYS_2026: [string, string, string][] = [
  ['2026-01-01', '2026-01-03', '元旦'],
  ['2026-02-15', '2026-02-23', '春节'],
  ['2026-04-04', '2026-04-06', '清明'],
  ['2026-05-01', '2026-05-05', '劳动节'],
  ['2026-06-19', '2026-06-21', '端午'],
  ['2026-09-25', '2026-09-27', '中秋'],
  ['2026-10-01', '2026-10-07', '国庆节'],
];
const MAKEUP_WORKDAYS_2026: [string, string][] = [
  ['2026-01-04', '元旦'],
  ['2026-02-14', '春节'],
  ['2026-02-28', '春节'],
  ['2026-05-09', '劳动节'],
  ['2026-09-20', '国庆节'],
  ['2026-10-10', '国庆节'],
];

function expected2026(): Map<string, { kind: DayKind; name: string | null }> {
  const days = new Map<string, { kind: DayKind; name: string | null }>();
  for (let day = parseLocalDate('2026-01-01'); day <= parseLocalDate('2026-12-31'); day++) {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    days.set(formatLocalDate(day), { kind: weekday === 0 || weekday === 6 ? 'weekend' : 'workday', name: null });
  }
  for (const [first, last, name] of HOLIDAYS_2026) {
    for (let day = parseLocalDate(first); day <= parseLocalDate(last); day++) days.set(formatLocalDate(day), { kind: 'holiday', name });
  }
  for (const [date, name] of MAKEUP_WORKDAYS_2026) days.set(date, { kind: 'makeup_workday', name });
  return days;
}

describe('BuiltinCalendar', () => {
  const sut = new BuiltinCalendar();

  it('agrees with the 2026 State Council notice on every day of the year', () => {
    const expected = expected2026();
    expect(expected.size).toBe(365);
    const disagreements: string[] = [];
    for (const [date, want] of expected) {
      const got = sut.classify(parseLocalDate(date));
      if (got.kind !== want.kind || got.name !== want.name || got.source !== 'builtin' || got.date !== date) {
        disagreements.push(`${date}: want ${want.kind} ${want.name}, got ${JSON.stringify(got)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each(HOLIDAYS_2026.flatMap(([first, last, name]) => [[first, name], [last, name]]))('%s is the holiday %s', (date, name) => {
    expect(sut.classify(parseLocalDate(date))).toEqual({ date, kind: 'holiday', name, source: 'builtin' });
  });

  it.each(MAKEUP_WORKDAYS_2026)('%s is a make-up working day for %s', (date, name) => {
    expect(sut.classify(parseLocalDate(date))).toEqual({ date, kind: 'makeup_workday', name, source: 'builtin' });
  });

  it('keeps a holiday that falls on a weekend a holiday (Sat 2026-01-03, Sun 2026-10-04)', () => {
    expect(sut.classify(parseLocalDate('2026-01-03')).kind).toBe('holiday');
    expect(sut.classify(parseLocalDate('2026-10-04')).kind).toBe('holiday');
  });

  it('counts 248 working days in 2026 (261 weekdays − 19 weekday holidays + 6 make-up days)', () => {
    let working = 0;
    for (let day = parseLocalDate('2026-01-01'); day <= parseLocalDate('2026-12-31'); day++) {
      const { kind } = sut.classify(day);
      if (kind === 'workday' || kind === 'makeup_workday') working++;
    }
    expect(working).toBe(248);
  });

  it('knows the earlier years of the package too (2025 Spring Festival make-up Sunday, 2024 New Year)', () => {
    expect(sut.classify(parseLocalDate('2025-01-26'))).toMatchObject({ kind: 'makeup_workday', name: '春节', source: 'builtin' });
    expect(sut.classify(parseLocalDate('2024-01-01'))).toMatchObject({ kind: 'holiday', name: '元旦', source: 'builtin' });
  });

  it('answers plain weekdays and weekends of a known year as builtin without a name', () => {
    expect(sut.classify(parseLocalDate('2026-03-09'))).toEqual({ date: '2026-03-09', kind: 'workday', name: null, source: 'builtin' });
    expect(sut.classify(parseLocalDate('2026-03-14'))).toEqual({ date: '2026-03-14', kind: 'weekend', name: null, source: 'builtin' });
  });

  it('falls back to the weekday rule for a year the package does not know (2027, 2003)', () => {
    expect(sut.knowsYear(2026)).toBe(true);
    expect(sut.knowsYear(2027)).toBe(false);
    expect(sut.knowsYear(2003)).toBe(false);
    expect(sut.classify(parseLocalDate('2027-01-01'))).toEqual({ date: '2027-01-01', kind: 'workday', name: null, source: 'weekday-rule' });
    expect(sut.classify(parseLocalDate('2027-01-02'))).toEqual({ date: '2027-01-02', kind: 'weekend', name: null, source: 'weekday-rule' });
    expect(sut.classify(parseLocalDate('2027-10-01'))).toMatchObject({ kind: 'workday', source: 'weekday-rule' });
  });

  it('agrees with the package API (getDayDetail) on every day of 2024-2026 in this UTC process', () => {
    const disagreements: string[] = [];
    for (let day = parseLocalDate('2024-01-01'); day <= parseLocalDate('2026-12-31'); day++) {
      const date = formatLocalDate(day);
      const detail = getDayDetail(date);
      const info = sut.classify(day);
      const working = info.kind === 'workday' || info.kind === 'makeup_workday';
      const name = detail.name.includes(',') ? chineseName(detail.name) : null;
      const sameName = info.kind === 'workday' || info.kind === 'weekend' ? info.name === null : info.name === name;
      if (detail.date !== date || detail.work !== working || !sameName) disagreements.push(`${date}: ${JSON.stringify(detail)} vs ${JSON.stringify(info)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('reads the package tables, not the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = zone;
        const fresh = new BuiltinCalendar();
        expect(['2026-02-14', '2026-02-15', '2026-02-24'].map((date) => fresh.classify(parseLocalDate(date)).kind)).toEqual(['makeup_workday', 'holiday', 'workday']);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('takes the Chinese part of the package names', () => {
    expect(chineseName('Spring Festival,春节,4')).toBe('春节');
    expect(chineseName("New Year's Day,元旦,1")).toBe('元旦');
    expect(chineseName('Monday')).toBeNull();
  });
});

describe('weekdayRule', () => {
  it('works Monday to Friday', () => {
    expect(['2026-03-08', '2026-03-09', '2026-03-13', '2026-03-14'].map((date) => weekdayRule.classify(parseLocalDate(date)).kind)).toEqual([
      'weekend',
      'workday',
      'workday',
      'weekend',
    ]);
  });
});

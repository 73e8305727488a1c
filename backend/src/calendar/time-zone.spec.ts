import { TimeZone } from './time-zone';

const HOUR = 3_600_000;

describe('TimeZone', () => {
  it('puts Asia/Shanghai at +08:00 (no daylight saving)', () => {
    const sut = new TimeZone('Asia/Shanghai');
    for (const iso of ['2026-01-15T00:00:00Z', '2026-07-15T12:34:56.789Z', '2027-03-01T23:59:59Z']) {
      expect(sut.offsetMsAt(Date.parse(iso))).toBe(8 * HOUR);
    }
    const instant = Date.parse('2026-05-08T20:00:00+08:00');
    expect(new Date(sut.toLocalMs(instant)).toISOString()).toBe('2026-05-08T20:00:00.000Z');
    expect(sut.toUtcMs(Date.parse('2026-05-08T20:00:00Z'))).toBe(instant);
  });

  it('round-trips instants with milliseconds', () => {
    const sut = new TimeZone('Asia/Shanghai');
    const instant = Date.parse('2026-12-31T23:59:59.999Z');
    expect(sut.toUtcMs(sut.toLocalMs(instant))).toBe(instant);
  });

  it('follows daylight saving in a zone that has it (America/New_York)', () => {
    const sut = new TimeZone('America/New_York');
    expect(sut.offsetMsAt(Date.parse('2026-01-15T12:00:00Z'))).toBe(-5 * HOUR);
    expect(sut.offsetMsAt(Date.parse('2026-07-15T12:00:00Z'))).toBe(-4 * HOUR);
    // 2026-03-08 02:30 does not exist there: it maps to 03:30 EDT.
    expect(new Date(sut.toUtcMs(Date.parse('2026-03-08T02:30:00Z'))).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // 2026-11-01 01:30 happens twice: the first one (EDT).
    expect(new Date(sut.toUtcMs(Date.parse('2026-11-01T01:30:00Z'))).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles quarter-hour offsets (Asia/Kathmandu +05:45)', () => {
    expect(new TimeZone('Asia/Kathmandu').offsetMsAt(Date.parse('2026-06-01T00:00:00Z'))).toBe(5.75 * HOUR);
  });

  it('refuses an unknown zone with a message naming it', () => {
    expect(() => new TimeZone('Mars/Olympus')).toThrow(RangeError);
    expect(() => new TimeZone('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

import { sqlDate } from './sql-values';

describe('sqlDate', () => {
  it('reads a stored time as UTC whichever way the driver gives it', () => {
    const at = new Date('2026-11-30T16:05:09.123Z');
    expect(sqlDate(at)).toBe(at);
    expect(sqlDate('2026-11-30 16:05:09.123')?.toISOString()).toBe(at.toISOString());
    // Text with a 'T' but no zone is UTC too, not the server's local time (this line fails under TZ=Asia/Shanghai when it is).
    expect(sqlDate('2026-11-30T16:05:09.123')?.toISOString()).toBe(at.toISOString());
    expect(sqlDate('2026-11-30T16:05:09.123Z')?.toISOString()).toBe(at.toISOString());
    expect(sqlDate('2026-12-01T00:05:09.123+08:00')?.toISOString()).toBe(at.toISOString());
  });

  it('passes NULL through and refuses what is not a time', () => {
    expect(sqlDate(null)).toBeNull();
    expect(sqlDate(undefined)).toBeNull();
    expect(() => sqlDate(42)).toThrow('not a DATETIME value: number');
  });
});

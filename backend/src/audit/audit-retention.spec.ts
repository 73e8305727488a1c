import { ConfigValidationError, loadConfig } from '../config/app-config';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

describe('AUDIT_RETENTION_DAYS', () => {
  it('defaults to 180 days', () => {
    expect(loadConfig({}).audit).toEqual({ retentionDays: 180 });
  });

  it('takes 180 days and more', () => {
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '180' }).audit.retentionDays).toBe(180);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '365' }).audit.retentionDays).toBe(365);
  });

  it.each(['179', '0', '-1'])('refuses %s at start-up: 等保 2.0 asks for at least six months', (value) => {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(/AUDIT_RETENTION_DAYS: must be at least 180 days/);
  });

  it.each(['half a year', '200.5'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(/AUDIT_RETENTION_DAYS: must be a whole number of days/);
  });
});

describe('the audit cursor', () => {
  it('round-trips (at, id)', () => {
    const cursor = { at: new Date('2026-12-01T03:04:05.678Z'), id: 4711 };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'abc', 'MTIzNA', Buffer.from('1764558245678.0').toString('base64url'), Buffer.from('1764558245678.99999999999').toString('base64url'), 'a+b/'])(
    'refuses %j',
    (value) => {
      expect(decodeAuditCursor(value)).toBeNull();
    },
  );
});

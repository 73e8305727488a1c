import { describe, expect, it, vi } from 'vitest';
import { type AuditFilterForm, listAuditEvents, toAuditQuery } from '@/api/audit';
import { http } from '@/api/http';

const blank: AuditFilterForm = { range: null, actor: '', action: '', targetType: '', targetId: '' };

describe('the audit API mapping', () => {
  it('leaves blank filters out and always sends the page size', () => {
    expect(toAuditQuery(blank)).toEqual({ pageSize: 50 });
  });

  it('sends the time range as RFC 3339 instants, [from, to)', () => {
    const range: [Date, Date] = [new Date('2026-11-30T16:00:00Z'), new Date('2026-12-01T16:00:00Z')];
    expect(toAuditQuery({ ...blank, range })).toMatchObject({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-01T16:00:00.000Z' });
  });

  it('reads digits as an actor id and anything else as an actor name, trimmed', () => {
    expect(toAuditQuery({ ...blank, actor: ' 42 ' })).toEqual({ pageSize: 50, actorId: 42 });
    expect(toAuditQuery({ ...blank, actor: ' 系统管理员 ' })).toEqual({ pageSize: 50, actorName: '系统管理员' });
    expect(toAuditQuery({ ...blank, actor: '007' })).toEqual({ pageSize: 50, actorName: '007' });
  });

  it('passes action (exact or prefix), target and cursor through', () => {
    expect(toAuditQuery({ ...blank, action: 'user.', targetType: 'user', targetId: ' 12 ' }, 'abc', 20)).toEqual({
      pageSize: 20,
      action: 'user.',
      targetType: 'user',
      targetId: '12',
      cursor: 'abc',
    });
  });

  it('GETs /audit with the query as parameters', async () => {
    const get = vi.spyOn(http, 'get').mockResolvedValue({ items: [], nextCursor: null });
    await listAuditEvents({ action: 'auth.', pageSize: 50 });
    expect(get).toHaveBeenCalledWith('/audit', { params: { action: 'auth.', pageSize: 50 }, signal: undefined });
    get.mockRestore();
  });
});

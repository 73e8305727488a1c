import { describe, expect, it } from 'vitest';
import { emptyFilters, lastReachablePage, nextDay, parseListQuery, toApiQuery, toRouteQuery } from '../query';

describe('call list query', () => {
  it('reads the address, ignoring whatever is malformed', () => {
    expect(parseListQuery({})).toEqual({ filters: emptyFilters(), page: 1, pageSize: 20 });
    expect(parseListQuery({ from: '2026-12-01', to: '2026-12-02', agentId: '2', status: 'missed', phone: ' 13800138000 ', page: '3', pageSize: '50' })).toEqual({
      filters: { dates: ['2026-12-01', '2026-12-02'], agentId: 2, status: 'missed', phone: '13800138000' },
      page: 3,
      pageSize: 50,
    });
    const bad = parseListQuery({ from: '2026-13-01', to: '2026-12-02', agentId: 'x', status: 'lost', page: '-1', pageSize: '7' });
    expect(bad).toEqual({ filters: emptyFilters(), page: 1, pageSize: 20 });
    // An inverted range and a page past what the API reaches.
    expect(parseListQuery({ from: '2026-12-05', to: '2026-12-01' }).filters.dates).toBeNull();
    expect(parseListQuery({ page: '999999', pageSize: '100' }).page).toBe(lastReachablePage(100));
    expect(lastReachablePage(100)).toBe(101);
    expect(lastReachablePage(20)).toBe(501);
  });

  it('writes only what differs from the defaults, and reads it back the same', () => {
    const state = { filters: { dates: ['2026-12-01', '2026-12-02'] as [string, string], agentId: 2, status: 'answered' as const, phone: '13800138000' }, page: 2, pageSize: 50 };
    const query = toRouteQuery(state);
    expect(query).toEqual({ from: '2026-12-01', to: '2026-12-02', agentId: '2', status: 'answered', phone: '13800138000', page: '2', pageSize: '50' });
    expect(parseListQuery(query as Record<string, string>)).toEqual(state);
    expect(toRouteQuery({ filters: emptyFilters(), page: 1, pageSize: 20 })).toEqual({});
  });

  it('asks the API for whole days of the center, the end day included', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(toApiQuery({ filters: { dates: ['2026-12-01', '2026-12-02'], agentId: null, status: '', phone: '' }, page: 1, pageSize: 20 })).toEqual({
      page: 1,
      pageSize: 20,
      from: '2026-12-01T00:00:00+08:00',
      to: '2026-12-03T00:00:00+08:00',
    });
    expect(toApiQuery({ filters: { dates: null, agentId: 7, status: 'abandoned', phone: ' 138 ' }, page: 4, pageSize: 10 })).toEqual({
      page: 4,
      pageSize: 10,
      agentId: 7,
      status: 'abandoned',
      phone: '138',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { emptyFilters, parseListQuery, toApiQuery, toLocationQuery, type WorkOrderListState } from '../query';

describe('work-order list query', () => {
  it('reads an empty URL as the first page with no filters', () => {
    expect(parseListQuery({})).toEqual({ filters: emptyFilters(), page: 1, pageSize: 20, sort: null });
  });

  it('drops values the API would reject', () => {
    const state = parseListQuery({
      status: 'done',
      requestType: 'complaint',
      channel: ['wechat', 'web'],
      page: '-3',
      pageSize: '500',
      from: '2025-06-01',
      sortBy: 'title',
    });

    expect(state.filters.status).toBe('');
    expect(state.filters.requestType).toBe('complaint');
    expect(state.filters.channel).toBe('wechat');
    expect(state.filters.createdRange).toBeNull(); // a range needs both ends
    expect(state.page).toBe(1);
    expect(state.pageSize).toBe(100);
    expect(state.sort).toBeNull();
  });

  it('round-trips a state through the URL, leaving defaults out', () => {
    const state: WorkOrderListState = {
      filters: {
        ...emptyFilters(),
        status: 'reply_review',
        keyword: '路灯',
        citizenPhone: '13800005678',
        createdRange: ['2025-06-01', '2025-06-30'],
      },
      page: 3,
      pageSize: 20,
      sort: { sortBy: 'replyDueAt', sortOrder: 'ASC' },
    };

    const query = toLocationQuery(state);

    expect(query).toEqual({
      status: 'reply_review',
      keyword: '路灯',
      citizenPhone: '13800005678',
      from: '2025-06-01',
      to: '2025-06-30',
      page: '3',
      sortBy: 'replyDueAt',
      sortOrder: 'ASC',
    });
    expect(parseListQuery(query as Record<string, string>)).toEqual(state);
  });

  it('reads and writes the warning filter, dropping unknown levels', () => {
    expect(parseListQuery({ warning: 'red' }).filters.warning).toBe('red');
    expect(parseListQuery({ warning: 'none' }).filters.warning).toBe('');
    const state = parseListQuery({ warning: 'yellow' });
    expect(toLocationQuery(state)).toEqual({ warning: 'yellow' });
    expect(toApiQuery(state)).toEqual({ warning: 'yellow', page: 1, pageSize: 20 });
  });

  it('asks the API for whole days of the center and only the filters that are set', () => {
    const state = parseListQuery({ requestType: 'help', from: '2025-06-01', to: '2025-06-30', pageSize: '50' });

    expect(toApiQuery(state)).toEqual({
      requestType: 'help',
      // Whole days in Beijing time, whatever the zone the test runs in.
      createdFrom: '2025-05-31T16:00:00.000Z',
      createdTo: '2025-06-30T15:59:59.999Z',
      page: 1,
      pageSize: 50,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { emptyFilters, parseListQuery, toApiQuery, toLocationQuery, type WorkOrderListState } from '../query';

describe('work-order list query', () => {
  it('reads an empty URL as the first page with no filters', () => {
    expect(parseListQuery({})).toEqual({ filters: emptyFilters(), page: 1, pageSize: 20, sort: null, cursor: null });
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
      cursor: null,
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

  it('reads every filter a dashboard drill-down may put in the link', () => {
    const state = parseListQuery({
      status: 'processing',
      warning: 'yellow',
      leadUnitId: '12',
      categoryId: '301',
      requestType: 'complaint',
      channel: 'phone',
      keyword: '路灯',
      assignee: 'me',
      open: 'true',
      supervised: 'true',
      extensionRequested: '1',
      hasChildren: 'true',
      assistOverdue: 'false',
    });

    expect(toApiQuery(state)).toEqual({
      status: 'processing',
      warning: 'yellow',
      leadUnitId: 12,
      categoryId: 301,
      requestType: 'complaint',
      channel: 'phone',
      keyword: '路灯',
      assignee: 'me',
      open: true,
      supervised: true,
      extensionRequested: true,
      hasChildren: true,
      page: 1,
      pageSize: 20,
    });
    // Back into a link: the same filters, in the list's own spelling.
    expect(parseListQuery(toLocationQuery(state) as Record<string, string>)).toEqual(state);
  });

  it('takes "overdue" for the red warning level and drops ids that are not ids', () => {
    expect(toApiQuery(parseListQuery({ overdue: 'true' }))).toEqual({ warning: 'red', page: 1, pageSize: 20 });
    const state = parseListQuery({ leadUnitId: 'abc', categoryId: '-1' });
    expect(state.filters.leadUnitId).toBeNull();
    expect(state.filters.categoryId).toBeNull();
  });

  it("shows a drill-down's whole center days in the date picker and asks for the same days", () => {
    // Today in Beijing as the dashboard sends it: from midnight to the next midnight.
    const state = parseListQuery({ createdFrom: '2026-03-09T16:00:00.000Z', createdTo: '2026-03-10T16:00:00.000Z' });
    expect(state.filters.createdRange).toEqual(['2026-03-10', '2026-03-10']);
    expect(toApiQuery(state)).toMatchObject({ createdFrom: '2026-03-09T16:00:00.000Z', createdTo: '2026-03-10T15:59:59.999Z' });
  });

  it('passes instants that are not whole days through unchanged', () => {
    const state = parseListQuery({ createdFrom: '2026-03-10T09:30:00+08:00' });
    expect(state.filters.createdRange).toBeNull();
    expect(toApiQuery(state)).toEqual({ createdFrom: '2026-03-10T09:30:00+08:00', page: 1, pageSize: 20 });
    expect(toLocationQuery(state)).toEqual({ createdFrom: '2026-03-10T09:30:00+08:00' });
  });

  it('continues beyond the numbered pages with a cursor instead of a page number', () => {
    const state = parseListQuery({ cursor: 'Y3JlYXRlZEF0LkRFU0N-MH4xNzEwMDAwMDAwMDAwfjQy', page: '101', sortBy: 'replyDueAt' });
    expect(toApiQuery(state)).toEqual({
      cursor: 'Y3JlYXRlZEF0LkRFU0N-MH4xNzEwMDAwMDAwMDAwfjQy',
      pageSize: 20,
      sortBy: 'replyDueAt',
      sortOrder: 'DESC',
    });
    expect(toLocationQuery(state)).not.toHaveProperty('page');
    expect(parseListQuery({ cursor: 'not a cursor!' }).cursor).toBeNull();
  });
});

describe('closing-time drill-down', () => {
  it('carries closedFrom/closedTo from the link to the URL and the API', () => {
    const state = parseListQuery({ status: 'closed', closedFrom: '2026-11-30T00:00:00+08:00', closedTo: '2026-12-01T00:00:00+08:00' });
    expect(state.filters.closedSpan).toEqual({ from: '2026-11-30T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' });
    expect(toLocationQuery(state)).toMatchObject({ closedFrom: '2026-11-30T00:00:00+08:00', closedTo: '2026-12-01T00:00:00+08:00' });
    expect(toApiQuery(state)).toMatchObject({ status: 'closed', closedFrom: '2026-11-30T00:00:00+08:00', closedTo: '2026-12-01T00:00:00+08:00' });
  });

  it('ignores closing times that are not instants', () => {
    expect(parseListQuery({ closedFrom: '2026-11-30', closedTo: 'tomorrow' }).filters.closedSpan).toBeNull();
  });
});

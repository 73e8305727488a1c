import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkOrderPage } from '@/api/models';
import { listWorkOrders } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrder } from '../../__tests__/fixtures';
import { replyLateness } from '../overdue';
import ListView from '../index.vue';
import { LIVE_REFRESH_DELAY_MS } from '../useWorkOrderList';

// Mounting the list with Element Plus takes seconds on a busy machine (CI runners, parallel suites).
vi.setConfig({ testTimeout: 30_000 });

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(() => Promise.resolve([])), listCategoryTree: vi.fn(() => Promise.resolve([])) }));
let announceChange: ((event: null) => void) | null = null;
vi.mock('@/composables/useWorkOrderChanges', () => ({
  useWorkOrderChanges: (callback: (event: null) => void) => (announceChange = callback),
}));

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: ListView },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
];

function page(items: WorkOrderPage['items'], extra: Partial<WorkOrderPage> = {}): WorkOrderPage {
  return { items, total: items.length, page: 1, pageSize: 20, totalExact: true, hasMore: false, nextCursor: null, ...extra };
}

const NOW = Date.parse('2026-03-20T02:00:00.000Z');

describe('work-order list: overdue (defect: replied-on-time orders flagged 已逾期)', () => {
  const due = '2026-03-10T09:00:00.000Z';

  it('judges a replied order by its reply time, not by now', () => {
    expect(replyLateness(workOrder({ status: 'callback_pending', replyDueAt: due, repliedAt: '2026-03-09T08:00:00.000Z' }), NOW)).toBeNull();
    expect(replyLateness(workOrder({ status: 'closed', replyDueAt: due, repliedAt: '2026-03-09T08:00:00.000Z' }), NOW)).toBeNull();
    expect(replyLateness(workOrder({ status: 'reply_review', replyDueAt: due, repliedAt: '2026-03-11T08:00:00.000Z' }), NOW)).toBe('replied-late');
  });

  it('judges an order still to be replied by now, and a suspended one by when it was suspended', () => {
    expect(replyLateness(workOrder({ status: 'processing', replyDueAt: due }), NOW)).toBe('overdue');
    expect(replyLateness(workOrder({ status: 'processing', replyDueAt: '2026-03-25T09:00:00.000Z' }), NOW)).toBeNull();
    // Sent back after a rejected reply: the old reply time no longer counts.
    expect(replyLateness(workOrder({ status: 'processing', replyDueAt: due, repliedAt: '2026-03-09T08:00:00.000Z' }), NOW)).toBe('overdue');
    expect(replyLateness(workOrder({ status: 'suspended', replyDueAt: due, suspendedAt: '2026-03-09T08:00:00.000Z' }), NOW)).toBeNull();
    expect(replyLateness(workOrder({ status: 'merged', replyDueAt: due }), NOW)).toBeNull();
    expect(replyLateness(workOrder({ status: 'registered', replyDueAt: null }), NOW)).toBeNull();
  });

  it('shows no 已逾期 on an order replied on time long ago, and tags a late reply', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue(
      page([
        workOrder({ id: 1, number: 'ON-TIME', status: 'closed', replyDueAt: '2025-01-10T09:00:00.000Z', repliedAt: '2025-01-09T09:00:00.000Z' }),
        workOrder({ id: 2, number: 'LATE', status: 'callback_pending', replyDueAt: '2025-01-10T09:00:00.000Z', repliedAt: '2025-01-12T09:00:00.000Z' }),
        workOrder({ id: 3, number: 'OPEN', status: 'processing', replyDueAt: '2025-01-10T09:00:00.000Z', warningLevel: 'none' }),
      ]),
    );
    const { wrapper } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();

    const rows = wrapper.findAll('.el-table__body tr');
    expect(rows[0].text()).not.toContain('已逾期');
    expect(rows[0].classes()).not.toContain('is-overdue');
    expect(rows[1].find('[data-test="replied-late-tag"]').text()).toBe('超期答复');
    expect(rows[1].classes()).not.toContain('is-overdue');
    expect(rows[2].find('[data-test="overdue-tag"]').text()).toBe('已逾期');
    expect(rows[2].classes()).toContain('is-overdue');
  });
});

describe('work-order list: the page shows the server’s order (defect: orders without a deadline sorted first)', () => {
  beforeEach(() => vi.mocked(listWorkOrders).mockReset());

  it('asks the server to sort by reply deadline and keeps its order, orders without a deadline last', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ id: 9 })]));
    const { wrapper, router } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();
    // The server's answer for replyDueAt ascending: dated orders first, then the ones without a deadline.
    vi.mocked(listWorkOrders).mockResolvedValue(
      page([
        workOrder({ id: 1, number: 'D1', replyDueAt: '2026-03-10T01:00:00.000Z' }),
        workOrder({ id: 2, number: 'D2', replyDueAt: '2026-03-12T01:00:00.000Z' }),
        workOrder({ id: 3, number: 'N1', replyDueAt: null, status: 'registered' }),
        workOrder({ id: 4, number: 'N2', replyDueAt: null, status: 'registered' }),
      ]),
    );

    const header = wrapper.findAll('.el-table__header th').find((th) => th.text().includes('答复期限'))!;
    await header.find('.sort-caret.ascending').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ sortBy: 'replyDueAt', sortOrder: 'ASC' });
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ sortBy: 'replyDueAt', sortOrder: 'ASC', page: 1, pageSize: 20 });
    const numbers = wrapper.findAll('.el-table__body tr').map((tr) => tr.find('td').text());
    expect(numbers).toEqual(['D1', 'D2', 'N1', 'N2']);

    // Descending: the server still puts the orders without a deadline last, and so does the page.
    vi.mocked(listWorkOrders).mockResolvedValue(
      page([
        workOrder({ id: 2, number: 'D2', replyDueAt: '2026-03-12T01:00:00.000Z' }),
        workOrder({ id: 1, number: 'D1', replyDueAt: '2026-03-10T01:00:00.000Z' }),
        workOrder({ id: 3, number: 'N1', replyDueAt: null, status: 'registered' }),
      ]),
    );
    await header.find('.sort-caret.descending').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('.el-table__body tr').map((tr) => tr.find('td').text())).toEqual(['D2', 'D1', 'N1']);
  });
});

describe('work-order list: keyboard (defect: rows cannot be reached or opened by keyboard)', () => {
  beforeEach(() => {
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ id: 7, number: 'A' }), workOrder({ id: 8, number: 'B' })]));
  });

  it('makes every row focusable and opens it with Enter or Space', async () => {
    const { wrapper, router } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();

    const rows = wrapper.findAll('.el-table__body tr');
    expect(rows.map((row) => row.attributes('tabindex'))).toEqual(['0', '0']);

    (rows[1].element as HTMLElement).focus();
    await rows[1].trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.name).toBe(WORK_ORDER_DETAIL);
    expect(router.currentRoute.value.params.id).toBe('8');
  });

  it('opens with Space and moves between rows with the arrow keys', async () => {
    const { wrapper, router } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();

    const rows = wrapper.findAll('.el-table__body tr');
    (rows[0].element as HTMLElement).focus();
    await rows[0].trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1].element);
    await rows[1].trigger('keydown', { key: ' ' });
    await flushPromises();
    expect(router.currentRoute.value.params.id).toBe('8');
  });
});

describe('work-order list: beyond the numbered pages and live updates', () => {
  beforeEach(() => {
    vi.mocked(listWorkOrders).mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('offers the next page by cursor on the last numbered page, and goes back to the first', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue(
      page([workOrder()], { total: 10000, totalExact: false, page: 101, hasMore: true, nextCursor: 'Y3Vyc29yMQ' }),
    );
    const { wrapper, router } = await mountView({ routes, path: '/work-orders?page=101' });
    await flushPromises();

    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ id: 43 })], { total: 10000, totalExact: false, hasMore: true, nextCursor: 'Y3Vyc29yMg' }));
    await wrapper.find('[data-test="continue-list"]').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ cursor: 'Y3Vyc29yMQ' });
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ cursor: 'Y3Vyc29yMQ', pageSize: 20 });
    expect(wrapper.find('.el-pagination').exists()).toBe(false);
    expect(wrapper.find('[data-test="beyond-pages"]').exists()).toBe(true);

    await wrapper.find('[data-test="continue-list"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ cursor: 'Y3Vyc29yMg' });

    await wrapper.find('[data-test="back-to-first"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({});
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ page: 1, pageSize: 20 });
  });

  it('does not offer the cursor while numbered pages remain', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder()], { total: 10000, totalExact: false, page: 3, hasMore: true, nextCursor: 'Y3Vyc29yMQ' }));
    const { wrapper } = await mountView({ routes, path: '/work-orders?page=3' });
    await flushPromises();
    expect(wrapper.find('[data-test="continue-list"]').exists()).toBe(false);
  });

  it('reloads the same page quietly once a burst of changes is over', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ status: 'dispatched' })], { total: 60, page: 3 }));
    const { wrapper } = await mountView({ routes, path: '/work-orders?page=3&status=dispatched' });
    await flushPromises();
    expect(listWorkOrders).toHaveBeenCalledTimes(1);

    vi.useFakeTimers();
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ status: 'processing' })], { total: 60, page: 3 }));
    announceChange!(null);
    announceChange!(null);
    vi.advanceTimersByTime(LIVE_REFRESH_DELAY_MS - 10);
    expect(listWorkOrders).toHaveBeenCalledTimes(1);
    announceChange!(null);
    vi.advanceTimersByTime(LIVE_REFRESH_DELAY_MS);
    vi.useRealTimers();
    await flushPromises();

    expect(listWorkOrders).toHaveBeenCalledTimes(2);
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ status: 'dispatched', page: 3, pageSize: 20 });
    expect(wrapper.find('.el-table__body tr').text()).toContain('办理中');
    expect(wrapper.find('[data-test="work-order-table"]').attributes('data-state')).toBe('loaded');
  });
});

describe('work-order list: filters from a drill-down link', () => {
  it('opens the extra filters when the link sets one, and sends them', async () => {
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue(page([]));
    const { wrapper } = await mountView({ routes, path: '/work-orders?open=true&leadUnitId=5&supervised=true' });
    await flushPromises();

    expect(vi.mocked(listWorkOrders).mock.calls[0]?.[0]).toEqual({ open: true, leadUnitId: 5, supervised: true, page: 1, pageSize: 20 });
    expect(wrapper.find('[data-test="filter-lead-unit"]').exists()).toBe(true);
    expect(wrapper.find<HTMLInputElement>('[data-test="filter-supervised"] input').element.checked).toBe(true);
  });
});

describe('work-order list on a phone (defect: 390 px wide page overflows)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows each order as a card link that Space opens, with a sort choice instead of table headers', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: true, media: query, addEventListener: () => undefined, removeEventListener: () => undefined }));
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder({ id: 7, number: 'A-7' }), workOrder({ id: 8, number: 'B-8' })]));
    const { wrapper, router } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();

    expect(wrapper.find('.el-table').exists()).toBe(false);
    const cards = wrapper.findAll('a[data-test="work-order-row"]');
    expect(cards.map((card) => card.attributes('href'))).toEqual(['/work-orders/7', '/work-orders/8']);
    expect(cards[0].text()).toContain('小区门口路灯不亮');
    expect(wrapper.find('[data-test="work-order-table"]').attributes('data-state')).toBe('loaded');

    await cards[1].trigger('keydown', { key: ' ' });
    await flushPromises();
    expect(router.currentRoute.value.params.id).toBe('8');
  });
});

describe('work-order list: header arrows follow the URL', () => {
  it('shows the sort of a link and clears it when the link has none, without asking twice', async () => {
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue(page([workOrder()]));
    const { wrapper, router } = await mountView({ routes, path: '/work-orders?sortBy=replyDueAt&sortOrder=ASC' });
    await flushPromises();
    const dueHeader = () => wrapper.findAll('.el-table__header th').find((th) => th.text().includes('答复期限'))!;
    expect(dueHeader().classes()).toContain('ascending');

    await router.push('/work-orders?sortBy=replyDueAt&sortOrder=DESC');
    await flushPromises();
    expect(dueHeader().classes()).toContain('descending');

    await router.push('/work-orders');
    await flushPromises();
    expect(dueHeader().classes()).not.toContain('descending');
    expect(listWorkOrders).toHaveBeenCalledTimes(3);
    expect(router.currentRoute.value.query).toEqual({});
  });
});

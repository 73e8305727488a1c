import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkOrderQuery } from '@/api/models';
import { getWorkOrder, listWorkOrders } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { useUserStore } from '@/store/modules/user';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrder, workOrderDetail } from '../../work-orders/__tests__/fixtures';
import InboxView from '../index.vue';
import { quickActions, tabsFor } from '../tabs';
import { INBOX_REFRESH_DEBOUNCE_MS } from '../useInbox';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
const changes = vi.hoisted(() => ({ callback: null as ((event: null) => void) | null }));
vi.mock('@/composables/useWorkOrderChanges', () => ({
  useWorkOrderChanges: (callback: (event: null) => void) => {
    changes.callback = callback;
  },
}));

const routes = [
  { path: '/inbox', name: 'inbox', component: InboxView },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
];

const dispatched = workOrder({ id: 50, number: '20250612000050', status: 'dispatched', title: '井盖缺失', acceptDueAt: '2099-01-01T02:00:00.000Z' });

function page(items: ReturnType<typeof workOrder>[], total = items.length) {
  return { items, total, page: 1, pageSize: 20, totalExact: true, hasMore: false, nextCursor: null };
}

/** Answers each tab's query with a count of its own, and the to-accept tab with one order. */
function answerByStatus() {
  vi.mocked(listWorkOrders).mockImplementation((query: WorkOrderQuery) => {
    if (query.status === 'dispatched') return Promise.resolve(page([dispatched], 1));
    if (query.status === 'processing') return Promise.resolve(page([], 4));
    if (query.hasChildren) return Promise.resolve(page([], 2));
    if (query.warning === 'red') return Promise.resolve(page([], 3));
    return Promise.resolve(page([], 0));
  });
}

async function mountInbox(role: 'handler' | 'unit_admin' = 'handler', locale: 'zh-CN' | 'en' = 'zh-CN') {
  const mounted = await mountView({ routes, path: '/inbox', locale });
  const store = useUserStore();
  store.user = {
    id: 9,
    username: 'h',
    displayName: '承办人',
    role,
    unitId: 5,
    unit: { id: 5, code: 'S', name: '和平里街道', type: 'street' },
    active: true,
    mustChangePassword: false,
  };
  await flushPromises();
  return mounted;
}

describe('unit inbox', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(getWorkOrder).mockReset();
  });

  it('offers the sign-off tab to the unit admin only', () => {
    expect(tabsFor('handler').map((tab) => tab.key)).toEqual(['toAccept', 'processing', 'subDispatched', 'returned', 'overdue']);
    expect(tabsFor('unit_admin').map((tab) => tab.key)).toContain('unitReview');
    expect(tabsFor('unit_admin').find((tab) => tab.key === 'toAccept')?.query(5)).toMatchObject({ status: 'dispatched', leadUnitId: 5 });
  });

  it('picks quick actions by the stage of the order', () => {
    expect(quickActions(workOrder({ status: 'dispatched' }), 'handler')).toEqual(['accept', 'return']);
    expect(quickActions(workOrder({ status: 'processing', firstContactAt: null }), 'handler')).toEqual(['contact', 'reply']);
    expect(quickActions(workOrder({ status: 'processing', firstContactAt: '2025-06-12T03:00:00.000Z' }), 'handler')).toEqual(['reply']);
    expect(quickActions(workOrder({ status: 'unit_review' }), 'handler')).toEqual([]);
    expect(quickActions(workOrder({ status: 'unit_review' }), 'unit_admin')).toEqual(['unit-approve-reply', 'unit-reject-reply']);
  });

  it('shows each tab with its count, the to-accept orders first, and opens a row with Enter', async () => {
    answerByStatus();
    const { wrapper, router } = await mountInbox();

    expect(wrapper.find('[data-test="inbox-count-toAccept"]').attributes('data-count')).toBe('1');
    expect(wrapper.find('[data-test="inbox-count-processing"]').attributes('data-count')).toBe('4');
    expect(wrapper.find('[data-test="inbox-count-subDispatched"]').attributes('data-count')).toBe('2');
    expect(wrapper.find('[data-test="inbox-count-overdue"]').attributes('data-count')).toBe('3');
    expect(wrapper.find('[data-test="inbox-tab-unitReview"]').exists()).toBe(false);
    expect(vi.mocked(listWorkOrders).mock.calls.some(([query]) => query.status === 'dispatched' && query.leadUnitId === 5 && query.pageSize === 20)).toBe(true);

    const row = wrapper.find('tr.el-table__row');
    expect(row.text()).toContain('井盖缺失');
    expect(row.attributes('tabindex')).toBe('0');
    await row.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/work-orders/50');
  });

  it('runs a quick action through the action host (which reads the order and its allowed actions)', async () => {
    answerByStatus();
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ id: 50, status: 'dispatched', allowedActions: ['accept', 'return'] }));
    const { wrapper, router } = await mountInbox();
    await wrapper.find('tr.el-table__row button[data-action="accept"]').trigger('click');
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledWith(50);
    expect(document.querySelector('[data-test="action-dialog"]')?.getAttribute('data-action')).toBe('accept');
    expect(router.currentRoute.value.path).toBe('/inbox');
  });

  it('refreshes once after a burst of changes', async () => {
    vi.useFakeTimers();
    try {
      answerByStatus();
      await mountInbox();
      await vi.runOnlyPendingTimersAsync();
      const before = vi.mocked(listWorkOrders).mock.calls.length;
      changes.callback?.(null);
      changes.callback?.(null);
      changes.callback?.(null);
      await vi.advanceTimersByTimeAsync(INBOX_REFRESH_DEBOUNCE_MS + 10);
      await flushPromises();
      // One refresh: the active tab's page and each other tab's count.
      expect(vi.mocked(listWorkOrders).mock.calls.length - before).toBe(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is in English too', async () => {
    answerByStatus();
    const { wrapper } = await mountInbox('unit_admin', 'en');
    expect(wrapper.find('[data-test="inbox-tab-toAccept"]').text()).toContain('To accept');
    expect(wrapper.find('[data-test="inbox-tab-unitReview"]').text()).toContain('To sign off');
  });
});

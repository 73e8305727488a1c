import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CategoryTreeNode, Role, UnitTreeNode, WorkOrder, WorkOrderPage, WorkOrderQuery } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { getWorkOrder, listWorkOrders } from '@/api/work-orders';
import { StubPage, mountView } from '@/testing/mount-view';
import { workOrder, workOrderDetail } from '@/views/work-orders/__tests__/fixtures';
import CenterView from '../index.vue';
import { REFRESH_DELAY_MS } from '../useCenterQueues';

const session = vi.hoisted(() => ({ role: 'dispatcher', onChange: null as ((event: unknown) => void) | null }));

vi.mock('@/store/modules/user', () => ({ useUserStore: () => ({ user: { role: session.role } }) }));
vi.mock('@/composables/useWorkOrderChanges', () => ({
  useWorkOrderChanges: (callback: (event: unknown) => void) => {
    session.onChange = callback;
  },
}));
vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));

const page = (items: WorkOrder[], total = items.length): WorkOrderPage => ({
  items,
  total,
  page: 1,
  pageSize: 20,
  totalExact: true,
  hasMore: false,
  nextCursor: null,
});

const registered = workOrder({ id: 51, number: '202612020001', title: '路灯不亮', status: 'registered', categoryId: 301, leadUnitId: null, leadUnit: null });

/** Answers the list API by its filter (status, extension requested, supervised), as the backend would. */
function serveQueues(byStatus: Partial<Record<string, WorkOrder[]>>) {
  vi.mocked(listWorkOrders).mockImplementation(async (query: WorkOrderQuery) => {
    const key = query.extensionRequested ? 'extensionRequested' : query.supervised ? 'supervised' : (query.status ?? 'any');
    const rows = byStatus[key] ?? [];
    return page(query.pageSize === 1 ? rows.slice(0, 1) : rows, rows.length);
  });
}

async function mountCenter(role: Role, path = '/center') {
  session.role = role;
  const mounted = await mountView({
    routes: [
      { path: '/center', component: CenterView },
      { path: '/work-orders/:id', name: 'work-order-detail', component: StubPage },
    ],
    path,
  });
  await flushPromises();
  await flushPromises();
  return mounted;
}

const tabs = () => [...document.querySelectorAll('[data-test^="center-tab-"]')].map((tab) => tab.getAttribute('data-test')!.replace('center-tab-', ''));
const countOf = (key: string) => document.querySelector(`[data-test="center-tab-${key}"] .el-badge`)?.getAttribute('data-count');

describe('the center desk', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(getWorkOrder).mockReset();
    vi.mocked(listUnitTree).mockResolvedValue([{ id: 7, code: 'LIGHT', name: '市城市照明管理中心', active: true, children: [] } as unknown as UnitTreeNode]);
    vi.mocked(listCategoryTree).mockResolvedValue([{ id: 301, name: '路灯', defaultLeadUnitId: 7, active: true, children: [] } as unknown as CategoryTreeNode]);
  });
  afterEach(() => {
    session.onChange = null;
  });

  it('shows a dispatcher the dispatch, return and extension queues with their counts, and the suggested unit', async () => {
    serveQueues({
      registered: [registered],
      return_requested: [workOrder({ id: 52, status: 'return_requested' }), workOrder({ id: 53, status: 'return_requested' })],
      extensionRequested: [workOrder({ id: 54, extensionRequestedDueAt: '2099-01-01T00:00:00Z' })],
    });
    const { wrapper } = await mountCenter('dispatcher');
    expect(tabs()).toEqual(['dispatch', 'returns', 'extensions']);
    expect(countOf('dispatch')).toBe('1');
    expect(countOf('returns')).toBe('2');
    expect(countOf('extensions')).toBe('1');
    expect(vi.mocked(listWorkOrders).mock.calls.map(([query]) => query)).toContainEqual({
      status: 'registered', sortBy: 'createdAt', sortOrder: 'ASC', page: 1, pageSize: 20,
    });
    const list = wrapper.find('[data-test="center-queue"]');
    expect(list.attributes('data-queue')).toBe('dispatch');
    expect(list.attributes('data-state')).toBe('loaded');
    expect(list.find('[data-test="queue-unit"]').text()).toBe('市城市照明管理中心');
    expect(list.find('[data-test="queue-action-dispatch"]').exists()).toBe(true);
  });

  it('opens the dispatch dialog from the row through the action host', async () => {
    serveQueues({ registered: [registered] });
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ ...registered, allowedActions: ['dispatch', 'invalidate'] }));
    const { wrapper } = await mountCenter('dispatcher');
    await wrapper.find('[data-test="queue-action-dispatch"]').trigger('click');
    await flushPromises();
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledWith(51);
    expect(document.querySelector('[data-test="action-dialog"]')?.getAttribute('data-action')).toBe('dispatch');
  });

  it('shows a reviewer only the replies to review, a callback agent only callbacks', async () => {
    serveQueues({ reply_review: [workOrder({ status: 'reply_review' })] });
    await mountCenter('reviewer');
    expect(tabs()).toEqual(['replies']);
    document.body.innerHTML = '';
    await mountCenter('callback_agent');
    expect(tabs()).toEqual(['callbacks']);
  });

  it('gives an admin every queue but no quick action (the backend lets an admin take none)', async () => {
    serveQueues({ registered: [registered] });
    const { wrapper } = await mountCenter('admin');
    expect(tabs()).toEqual(['dispatch', 'returns', 'extensions', 'replies', 'callbacks', 'supervised']);
    expect(wrapper.find('[data-test="queue-action-dispatch"]').exists()).toBe(false);
  });

  it('keeps the open tab in the URL and switches queues', async () => {
    serveQueues({ reply_review: [workOrder({ status: 'reply_review' })], callback_pending: [] });
    const { wrapper, router } = await mountCenter('supervisor', '/center?tab=replies');
    expect(wrapper.find('[data-test="center-queue"]').attributes('data-queue')).toBe('replies');
    (document.querySelector('[data-test="center-tab-callbacks"]') as HTMLElement).click();
    await flushPromises();
    expect(wrapper.find('[data-test="center-queue"]').attributes('data-queue')).toBe('callbacks');
    expect(router.currentRoute.value.query.tab).toBe('callbacks');
  });

  it('refreshes once when a burst of order changes settles', async () => {
    serveQueues({ registered: [registered] });
    await mountCenter('dispatcher');
    const before = vi.mocked(listWorkOrders).mock.calls.length;
    session.onChange?.({ workOrderId: 51 });
    session.onChange?.({ workOrderId: 52 });
    session.onChange?.(null);
    await new Promise((resolve) => setTimeout(resolve, REFRESH_DELAY_MS + 100));
    await flushPromises();
    // One refresh: the open list and the two other counts.
    expect(vi.mocked(listWorkOrders).mock.calls.length - before).toBe(3);
  });

  it('lets the keyboard reach the table rows: Tab focus, Enter opens the order', async () => {
    serveQueues({ registered: [registered] });
    const { wrapper, router } = await mountCenter('dispatcher');
    const row = wrapper.find('tr.el-table__row');
    expect(row.attributes('tabindex')).toBe('0');
    await row.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.path).toBe('/work-orders/51');
  });

  it('shows cards on a narrow screen; Enter on a card opens the order', async () => {
    const matchMedia = vi.fn().mockReturnValue({ matches: true, addEventListener: vi.fn(), removeEventListener: vi.fn() });
    vi.stubGlobal('matchMedia', matchMedia);
    try {
      serveQueues({ registered: [registered] });
      const { wrapper, router } = await mountCenter('dispatcher');
      const card = wrapper.find('article[data-test="queue-row"]');
      expect(card.exists()).toBe(true);
      expect(card.attributes('tabindex')).toBe('0');
      await card.trigger('keydown', { key: 'Enter' });
      await flushPromises();
      expect(router.currentRoute.value.path).toBe('/work-orders/51');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

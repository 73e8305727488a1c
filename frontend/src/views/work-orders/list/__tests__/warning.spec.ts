import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listWorkOrders } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrder } from '../../__tests__/fixtures';
import ListView from '../index.vue';

// Mounting the list with Element Plus takes seconds on a busy machine (CI runners, parallel suites).
vi.setConfig({ testTimeout: 30_000 });

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(() => Promise.resolve([])), listCategoryTree: vi.fn(() => Promise.resolve([])) }));

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: ListView },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
];

describe('work-order list: warnings', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue({
      items: [
        workOrder({ id: 1, number: 'A', warningLevel: 'red' }),
        workOrder({ id: 2, number: 'B', warningLevel: 'yellow' }),
        workOrder({ id: 3, number: 'C', warningLevel: 'none' }),
      ],
      total: 3,
      page: 1,
      pageSize: 20,
      totalExact: true,
      hasMore: false,
      nextCursor: null,
    });
  });

  it('tags the reply deadline with the order’s warning level', async () => {
    const { wrapper } = await mountView({ routes, path: '/work-orders' });
    await flushPromises();

    const rows = wrapper.findAll('.el-table__body tr');
    const tagOf = (i: number) => rows[i].find('[data-test="warning-tag"]');
    expect(tagOf(0).text()).toBe('红灯超期');
    expect(tagOf(0).classes()).toContain('el-tag--danger');
    expect(tagOf(1).text()).toBe('黄灯预警');
    expect(tagOf(1).classes()).toContain('el-tag--warning');
    expect(tagOf(2).exists()).toBe(false);
  });

  it('filters by warning from the URL and from the form', async () => {
    const { wrapper, router } = await mountView({ routes, path: '/work-orders?warning=red' });
    await flushPromises();
    expect(vi.mocked(listWorkOrders).mock.calls[0]?.[0]).toEqual({ warning: 'red', page: 1, pageSize: 20 });

    await wrapper.find('[data-test="filter-warning"]').trigger('click');
    await vi.waitFor(() => expect(document.body.querySelector('[data-warning="yellow"]')).not.toBeNull());
    (document.body.querySelector('[data-warning="yellow"]') as HTMLElement).click();
    await flushPromises();
    await wrapper.find('[data-test="filter-search"]').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.query.warning).toBe('yellow');
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ warning: 'yellow', page: 1, pageSize: 20 });
  });
});

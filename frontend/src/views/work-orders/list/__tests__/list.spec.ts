import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
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

function mountList(path = '/work-orders') {
  return mountView({ routes, path });
}

describe('work-order list view', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listWorkOrders).mockReset();
    vi.mocked(listWorkOrders).mockResolvedValue({ items: [workOrder()], total: 41, page: 1, pageSize: 20, totalExact: true, hasMore: false, nextCursor: null });
  });

  it('loads the page described by the URL and shows the orders with translated codes', async () => {
    const { wrapper } = await mountList('/work-orders?status=processing&page=3');
    await flushPromises();

    expect(listWorkOrders).toHaveBeenCalledTimes(1);
    expect(vi.mocked(listWorkOrders).mock.calls[0]?.[0]).toEqual({ status: 'processing', page: 3, pageSize: 20 });
    const row = wrapper.find('.el-table__body tr');
    expect(row.text()).toContain('20250612-0007');
    expect(row.text()).toContain('小区门口路灯不亮');
    expect(row.text()).toContain('投诉');
    expect(row.text()).toContain('紧急');
    expect(row.text()).toContain('办理中');
    expect(row.text()).toContain('和平里街道办事处');
    expect(wrapper.find('.el-pagination__total').text()).toContain('41');
  });

  it('says "10,000+" when the server stopped counting, and pages only as far as numbered pages go', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue({ items: [workOrder()], total: 10000, page: 1, pageSize: 20, totalExact: false, hasMore: true, nextCursor: 'abc' });
    const { wrapper } = await mountList();
    await flushPromises();
    expect(wrapper.find('.el-pagination__total').text()).toBe('共 10,000+ 条');
    expect(wrapper.find('.work-order-list__narrow').text()).toBe('可翻阅前 2,020 条，请缩小筛选条件');
    // 2,000 orders + one page: 101 numbered pages, the deepest the server answers.
    expect(wrapper.findAll('.el-pager li').at(-1)?.text()).toBe('101');
  });

  it('marks the table loaded only once the answer is shown, so the empty text before it is never taken for "no orders"', async () => {
    let answer: (page: Awaited<ReturnType<typeof listWorkOrders>>) => void = () => undefined;
    vi.mocked(listWorkOrders).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { wrapper } = await mountList();
    const table = () => wrapper.find('[data-test="work-order-table"]');
    expect(table().attributes('data-state')).toBe('loading');
    expect(wrapper.find('.el-table__empty-text').exists()).toBe(true);

    answer({ items: [workOrder()], total: 1, page: 1, pageSize: 20, totalExact: true, hasMore: false, nextCursor: null });
    await flushPromises();
    expect(table().attributes('data-state')).toBe('loaded');
    expect(wrapper.findAll('.el-table__body tr')).toHaveLength(1);
  });

  it('searches with the filters from the first page and keeps them in the URL', async () => {
    const { wrapper, router } = await mountList('/work-orders?page=2');
    await flushPromises();

    await wrapper.find('input[data-test="filter-keyword"]').setValue(' 路灯 ');
    await wrapper.find('[data-test="filter-search"]').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ keyword: '路灯' });
    expect(vi.mocked(listWorkOrders).mock.lastCall?.[0]).toEqual({ keyword: '路灯', page: 1, pageSize: 20 });
  });

  it('reloads when the same search is submitted again', async () => {
    const { wrapper } = await mountList();
    await flushPromises();

    await wrapper.find('[data-test="filter-search"]').trigger('click');
    await flushPromises();

    expect(listWorkOrders).toHaveBeenCalledTimes(2);
  });

  it('opens the detail page when a row is clicked', async () => {
    const { wrapper, router } = await mountList();
    await flushPromises();

    await wrapper.find('.el-table__body tr').trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.name).toBe(WORK_ORDER_DETAIL);
    expect(router.currentRoute.value.params.id).toBe('42');
  });

  it('says in the console\'s language why the list cannot be loaded', async () => {
    vi.mocked(listWorkOrders).mockRejectedValue(
      new ApiError('pageSize must not be greater than 100', { kind: 'server', statusCode: 400 }),
    );
    const { wrapper } = await mountList();
    await flushPromises();

    expect(wrapper.find('[data-test="list-error"]').text()).toBe('提交的内容有误，请检查后重试');
    expect(wrapper.find('.el-table__body tr').exists()).toBe(false);
  });
});

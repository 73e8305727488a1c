import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkOrderDetail } from '@/api/models';
import { getSimilarOrders, markRepeat } from '@/api/repeats';
import type * as repeatsApi from '@/api/repeats';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { timelineEvent, workOrderDetail } from '../../__tests__/fixtures';
import DetailView from '../index.vue';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/repeats', async (importOriginal) => ({
  ...(await importOriginal<typeof repeatsApi>()),
  getSimilarOrders: vi.fn(),
  markRepeat: vi.fn(),
}));
vi.mock('@/composables/useWorkOrderChanges', () => ({ useWorkOrderChanges: () => undefined, latestWorkOrderChange: () => undefined }));

vi.setConfig({ testTimeout: 20_000 });

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: StubPage },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: DetailView },
];

const detail = (overrides: Partial<WorkOrderDetail>): WorkOrderDetail =>
  workOrderDetail({ repeatOfId: null, repeatCount: 0, repeatOf: null, repeats: [], disputed: false, ruledUnitId: null, ruledAt: null, ...overrides });

async function open(order: WorkOrderDetail) {
  vi.mocked(getWorkOrder).mockResolvedValue(order);
  const mounted = await mountView({ routes, path: `/work-orders/${order.id}` });
  await flushPromises();
  return mounted;
}

describe('the order page: repeats, similar orders and rulings', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getWorkOrder).mockReset();
    vi.mocked(getSimilarOrders).mockReset();
    vi.mocked(markRepeat).mockReset();
  });

  it('shows the original this order repeats and the repeats of it, with their counts and links', async () => {
    const { wrapper } = await open(
      detail({
        repeatOfId: 30,
        repeatOf: { id: 30, accessible: true, number: '20261101000030', title: '路灯不亮', status: 'closed' },
        repeatCount: 3,
        repeats: [
          { id: 50, accessible: true, number: '20261203000050', title: '路灯又不亮', status: 'registered' },
          { id: 51, accessible: false },
        ],
      }),
    );
    expect(wrapper.find('[data-test="detail-repeat-tag"]').text()).toBe('重复件');
    expect(wrapper.find('[data-test="detail-repeat-count"]').text()).toBe('重复反映 3 次');
    const original = wrapper.find('[data-test="related-repeatOf"]');
    expect(original.text()).toContain('重复件原单');
    expect(original.find('a').attributes('href')).toBe('/work-orders/30');
    const repeats = wrapper.find('[data-test="related-repeats"]');
    expect(repeats.find('[data-test="related-count"]').text()).toBe('（3）');
    expect(repeats.text()).toContain('20261203000050');
    expect(repeats.text()).toContain('工单 #51（无权查看）');
  });

  it('looks similar orders up on demand and marks the order a repeat of one', async () => {
    const order = detail({ id: 42, version: 3, allowedActions: ['mark-repeat', 'link'] });
    const { wrapper } = await open(order);
    expect(getSimilarOrders).not.toHaveBeenCalled();
    vi.mocked(getSimilarOrders).mockResolvedValue([
      {
        id: 30,
        number: '20261101000030',
        title: '路灯不亮',
        address: '和平里东街 11 号',
        status: 'closed',
        createdAt: '2026-11-01T02:00:00.000Z',
        kind: 'repeat',
        score: 0.9,
        reasons: [{ code: 'same_caller' }, { code: 'days_ago', value: 30 }],
        reasonText: '同一来电人 · 30 天前',
      },
    ]);
    await wrapper.find('[data-test="similar-find"]').trigger('click');
    await flushPromises();
    expect(getSimilarOrders).toHaveBeenCalledWith(42, undefined, expect.any(AbortSignal));
    const item = wrapper.find('[data-test="detail-similar"] [data-test="similar-order"]');
    expect(item.find('[data-test="similar-reasons"]').text()).toBe('同一来电人 · 30 天前');
    expect(item.findAll('[data-test="candidate-action"]').map((button) => button.attributes('data-action'))).toEqual(['mark-repeat', 'link']);

    vi.mocked(markRepeat).mockResolvedValue(detail({ id: 42, version: 4, repeatOfId: 30, repeatOf: { id: 30, accessible: true, number: '20261101000030' }, allowedActions: ['unmark-repeat'] }));
    await item.find('[data-action="mark-repeat"]').trigger('click');
    await flushPromises();
    expect(markRepeat).toHaveBeenCalledWith(42, { version: 3, targetId: 30 });
    expect(wrapper.find('[data-test="detail-repeat-tag"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="detail-similar"] [data-test="candidate-relation"]').text()).toBe('已标记为其重复件');
  });

  it('marks a disputed order, and shows the ruling once made', async () => {
    const { wrapper } = await open(detail({ disputed: true, allowedActions: ['rule'] }));
    expect(wrapper.find('[data-test="detail-disputed-tag"]').text()).toBe('争议件');
    expect(wrapper.find('[data-test="detail-actions"] [data-action="rule"]').exists()).toBe(true);

    document.body.innerHTML = '';
    const ruled = detail({
      disputed: false,
      ruledUnitId: 5,
      ruledAt: '2026-12-02T03:00:00.000Z',
      timeline: [timelineEvent(), timelineEvent({ id: 9, action: 'rule', actorName: '督办员王', reason: '属地街道负责', unitName: '和平里街道办事处' })],
    });
    const again = await open(ruled);
    expect(again.wrapper.find('[data-test="detail-ruled-tag"]').exists()).toBe(true);
    const ruling = again.wrapper.find('[data-test="detail-ruling"]').text();
    expect(ruling).toContain('和平里街道办事处');
    expect(ruling).toContain('督办员王');
    expect(ruling).toContain('属地街道负责');
  });
});

import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role, ShirkingQueueItem } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { listShirking, listShirkingUnits } from '@/api/shirking';
import type * as shirkingApi from '@/api/shirking';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrderDetail } from '@/views/work-orders/__tests__/fixtures';
import ShirkingView from '../index.vue';
import { emptyShirkingFilters, shirkingQuery } from '../useShirking';

const session = vi.hoisted(() => ({ role: 'supervisor' }));
vi.mock('@/store/modules/user', () => ({ useUserStore: () => ({ user: { role: session.role } }) }));
vi.mock('@/composables/useWorkOrderChanges', () => ({ useWorkOrderChanges: () => undefined, latestWorkOrderChange: () => undefined }));
vi.mock('@/api/shirking', async (importOriginal) => ({ ...(await importOriginal<typeof shirkingApi>()), listShirking: vi.fn(), listShirkingUnits: vi.fn() }));
vi.mock('@/api/work-orders', () => ({ getWorkOrder: vi.fn(), listWorkOrders: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));

vi.setConfig({ testTimeout: 20_000 });

const item = (overrides: Partial<ShirkingQueueItem['order']> = {}): ShirkingQueueItem => ({
  order: {
    id: 90,
    number: '20261202000090',
    title: '新华路朝阳路口路面塌陷',
    status: 'registered',
    leadUnitId: null,
    leadUnitName: null,
    disputed: true,
    ruledUnitId: null,
    ruledUnitName: null,
    ruledAt: null,
    returnCount: 2,
    reopenCount: 0,
    createdAt: '2026-12-01T02:00:00.000Z',
    ...overrides,
  },
  flags: [
    {
      id: 1,
      workOrderId: 90,
      rule: 'returned',
      unitId: 21,
      unitName: '云川市城市管理局',
      count: 2,
      reasons: {},
      createdAt: '2026-12-01T03:00:00.000Z',
      flaggedAt: '2026-12-02T03:00:00.000Z',
      resolvedAt: null,
      resolvedById: null,
      resolution: null,
    },
  ],
  lastFlaggedAt: '2026-12-02T03:00:00.000Z',
});

async function mountShirking(role: Role = 'supervisor') {
  session.role = role;
  const mounted = await mountView({
    routes: [
      { path: '/shirking', component: ShirkingView },
      { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
    ],
    path: '/shirking',
  });
  await flushPromises();
  return mounted;
}

describe('the shirking queue', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listShirking).mockReset().mockResolvedValue({ items: [item(), item({ id: 91, number: '20261202000091', disputed: false })], total: 2, page: 1, pageSize: 20 });
    vi.mocked(listShirkingUnits).mockReset().mockResolvedValue({
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      units: [
        { unitId: 21, unitCode: 'cgj', unitName: '云川市城市管理局', flaggedOrders: 3, flagsByRule: [{ rule: 'returned', count: 3 }], returns: 4, returnedOrders: 3, bounces: 1, receivedOrders: 9, returnRate: 0.3333 },
      ],
    });
    vi.mocked(getWorkOrder).mockReset();
    vi.mocked(listUnitTree).mockResolvedValue([]);
    vi.mocked(listCategoryTree).mockResolvedValue([]);
  });

  it('lists flagged orders with their flags, and offers the ruling on a disputed one only', async () => {
    const { wrapper } = await mountShirking();
    expect(listShirking).toHaveBeenCalledWith({ open: true, page: 1, pageSize: 20 }, expect.any(AbortSignal));
    const rows = wrapper.findAll('[data-test="shirking-queue"] tbody tr.el-table__row');
    expect(rows).toHaveLength(2);
    expect(rows[0].find('[data-test="shirking-flag"]').text()).toBe('退单 ×2（云川市城市管理局）');
    expect(rows[0].find('[data-test="shirking-disputed-tag"]').exists()).toBe(true);
    expect(rows[0].find('[data-test="shirking-rule-action"]').exists()).toBe(true);
    expect(rows[1].find('[data-test="shirking-rule-action"]').exists()).toBe(false);
    expect(rows[0].find('a').attributes('href')).toBe('/work-orders/90');
  });

  it('opens the ruling dialog through the action host when the order offers it', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ id: 90, number: '20261202000090', disputed: true, allowedActions: ['rule'] }));
    const { wrapper } = await mountShirking();
    await wrapper.find('[data-test="shirking-rule-action"]').trigger('click');
    await flushPromises();
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledWith(90);
    expect(document.querySelector('[data-test="action-dialog"]')?.getAttribute('data-action')).toBe('rule');
  });

  it('shows a dispatcher the queue without the ruling button', async () => {
    const { wrapper } = await mountShirking('dispatcher');
    expect(wrapper.find('[data-test="shirking-rule-action"]').attributes('data-perms-hidden')).toBe('');
  });

  it('counts per unit and drills down to the unit', async () => {
    const { wrapper } = await mountShirking();
    expect(wrapper.find('[data-test="shirking-unit-flagged"]').text()).toBe('3');
    expect(wrapper.find('[data-test="shirking-units"]').text()).toContain('33.3%');
    await wrapper.find('[data-test="shirking-unit-show"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(listShirking).mock.calls.at(-1)![0]).toEqual({ unitId: 21, open: true, page: 1, pageSize: 20 });
  });

  it('maps the filters to the API', () => {
    expect(shirkingQuery({ ...emptyShirkingFilters(), rule: 'bounced', disputed: true, open: false, range: ['2026-11-01', '2026-11-30'] })).toEqual({
      rule: 'bounced',
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-12-01T00:00:00+08:00',
      disputed: true,
    });
  });
});

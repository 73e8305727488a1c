import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listHotspots, type Hotspot, type HotspotPage } from '@/api/hotspots';
import type { UnitTreeNode } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import HotspotsView from '../index.vue';
import { hotspotQuery, emptyHotspotFilters } from '../query';
import { HOTSPOT_REFRESH_DELAY_MS } from '../useHotspots';

vi.mock('@/api/hotspots', () => ({ listHotspots: vi.fn(), getHotspot: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
const live = vi.hoisted(() => ({ callback: null as ((event: { hotspotId: number } | null) => void) | null }));
vi.mock('../useHotspotChanges', () => ({
  useHotspotChanges: (callback: (event: { hotspotId: number } | null) => void) => {
    live.callback = callback;
  },
}));

vi.setConfig({ testTimeout: 20_000 });

const unit = (id: number, name: string, type: string, parentId: number | null, children: UnitTreeNode[] = []): UnitTreeNode =>
  ({ id, code: `U${id}`, name, type, parentId, active: true, leaderSignOff: false, children }) as unknown as UnitTreeNode;
const units = [unit(31, '东城区', 'district', null, [unit(41, '朝阳街道', 'street', 31)])];

const hotspot = (overrides: Partial<Hotspot> = {}): Hotspot => ({
  id: 5,
  matterId: 100,
  title: '幸福小区3号楼下水道堵塞外溢',
  address: '朝阳街道幸福小区3号楼',
  districtUnitId: 31,
  streetUnitId: 41,
  categoryId: 101,
  categoryPath: '城乡建设/市政设施/排水',
  updatedAt: '2026-12-02T03:00:00.000Z',
  active: true,
  recentCount: 4,
  previousCount: 1,
  memberTotal: 4,
  memberCount: 4,
  callerCount: 3,
  firstAt: '2026-11-28T01:00:00.000Z',
  lastAt: '2026-12-02T03:00:00.000Z',
  formedAt: '2026-11-30T05:00:00.000Z',
  growth: 3,
  members: [
    { id: 101, accessible: true, number: '20261130000101', title: '3号楼污水外溢', status: 'dispatched', createdAt: '2026-11-30T05:00:00.000Z' },
    { id: 100, accessible: true, number: '20261128000100', title: '下水道堵塞', status: 'processing', createdAt: '2026-11-28T01:00:00.000Z' },
    { id: 99, accessible: false },
  ],
  ...overrides,
});
const page = (items: Hotspot[]): HotspotPage => ({ items, total: items.length, page: 1, pageSize: 20 });

async function mountHotspots() {
  const mounted = await mountView({
    routes: [
      { path: '/hotspots', component: HotspotsView },
      { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
    ],
    path: '/hotspots',
  });
  await flushPromises();
  return mounted;
}

describe('the hotspot list', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    live.callback = null;
    vi.mocked(listHotspots).mockReset();
    vi.mocked(listUnitTree).mockResolvedValue(units);
    vi.mocked(listCategoryTree).mockResolvedValue([]);
  });
  afterEach(() => vi.useRealTimers());

  it('lists the hotspots in the order the server ranks them, with place, size, callers and growth', async () => {
    vi.mocked(listHotspots).mockResolvedValue(page([hotspot(), hotspot({ id: 6, title: '路灯不亮', memberCount: 3, callerCount: 3, growth: 0 })]));
    const { wrapper } = await mountHotspots();
    expect(listHotspots).toHaveBeenCalledWith({ state: 'active', page: 1, pageSize: 20 }, expect.any(AbortSignal));
    expect(wrapper.find('[data-test="hotspots-page"]').attributes('data-state')).toBe('loaded');
    const rows = wrapper.findAll('.hotspots__table tbody tr.el-table__row');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('幸福小区3号楼下水道堵塞外溢');
    expect(rows[0].text()).toContain('东城区 › 朝阳街道');
    expect(rows[0].text()).toContain('排水');
    expect(rows[0].find('[data-test="hotspot-members-count"]').text()).toBe('4');
    expect(rows[0].find('[data-test="hotspot-callers"]').text()).toBe('3');
    expect(rows[0].text()).toContain('+3');
    expect(rows[1].text()).toContain('持平');
  });

  it('expands a row to its member orders, each a link to the order', async () => {
    vi.mocked(listHotspots).mockResolvedValue(page([hotspot()]));
    const { wrapper } = await mountHotspots();
    await wrapper.find('.el-table__expand-icon').trigger('click');
    await flushPromises();
    const members = wrapper.findAll('[data-test="hotspot-member"]');
    expect(members.map((member) => member.text())).toEqual(['20261130000101', '20261128000100']);
    expect(members[0].attributes('href')).toBe('/work-orders/101');
    // An order of another unit: its id only, no link.
    expect(wrapper.find('[data-test="hotspot-members"]').text()).toContain('工单 #99（无权查看）');
  });

  it('asks for the filters the user set', () => {
    const filters = { ...emptyHotspotFilters(), active: false, districtUnitId: 31, streetUnitId: 41, categoryId: 101, range: ['2026-11-01', '2026-11-30'] as [string, string] };
    expect(hotspotQuery(filters, 2)).toEqual({
      state: 'all',
      districtUnitId: 31,
      streetUnitId: 41,
      categoryId: 101,
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-12-01T00:00:00+08:00',
      page: 2,
      pageSize: 20,
    });
  });

  it('reloads once when hotspots form or grow, and marks the one that changed', async () => {
    vi.mocked(listHotspots).mockResolvedValue(page([hotspot({ memberCount: 3, callerCount: 3 })]));
    const { wrapper } = await mountHotspots();
    expect(listHotspots).toHaveBeenCalledTimes(1);
    vi.useFakeTimers();
    vi.mocked(listHotspots).mockResolvedValue(page([hotspot({ memberCount: 5, callerCount: 4 })]));
    live.callback!({ hotspotId: 5 });
    live.callback!(null);
    await vi.advanceTimersByTimeAsync(HOTSPOT_REFRESH_DELAY_MS + 10);
    await flushPromises();
    expect(listHotspots).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="hotspot-members-count"]').text()).toBe('5');
    expect(wrapper.find('tr.hotspots__row--changed').exists()).toBe(true);
  });

  it('says when the list cannot be loaded', async () => {
    vi.mocked(listHotspots).mockRejectedValue(new Error('boom'));
    const { wrapper } = await mountHotspots();
    expect(wrapper.find('[role="alert"]').text()).toContain('热点加载失败');
  });
});

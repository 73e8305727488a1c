import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { ApiError } from '@/api/api-error';
import { getDashboard } from '@/api/dashboard';
import { mountView, StubPage } from '@/testing/mount-view';
import DashboardView from '../index.vue';
import { dashboardFixture } from './fixtures';

vi.mock('@/api/dashboard', () => ({ getDashboard: vi.fn() }));
// ECharts needs a canvas, which jsdom has not: the chart is replaced by a stub that can be "clicked".
vi.mock('../DashboardChart.vue', () => ({
  default: defineComponent({
    props: { chart: { type: Object, required: true }, label: { type: String, required: true } },
    emits: ['drill'],
    setup(props, { emit }) {
      return () =>
        h('button', {
          'data-test': 'chart-stub',
          'aria-label': props.label,
          onClick: () => emit('drill', (props.chart as { figures: unknown[][] }).figures[0][0]),
        });
    },
  }),
}));

async function mountDashboard(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const mounted = await mountView({
    routes: [
      { path: '/dashboard', component: DashboardView },
      { path: '/work-orders', component: StubPage },
    ],
    path: '/dashboard',
    locale,
  });
  await flushPromises();
  return mounted;
}

describe('supervisor dashboard page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getDashboard).mockReset().mockResolvedValue(dashboardFixture());
  });

  it('shows the stat cards, the open orders by status and the unit table', async () => {
    const { wrapper } = await mountDashboard();
    expect(wrapper.find('[data-test="dashboard"]').attributes('data-state')).toBe('loaded');
    expect(wrapper.find('[data-test="stat-todayIntake"]').text()).toContain('今日受理');
    expect(wrapper.find('[data-test="stat-todayIntake"]').attributes('data-count')).toBe('3');
    expect(wrapper.find('[data-test="stat-overdue"]').text()).toContain('2');
    expect(wrapper.find('[data-test="stat-yellow"]').text()).toContain('1');
    expect(wrapper.find('[data-test="open-status-dispatched"]').text()).toBe('待签收 2');
    expect(wrapper.find('[data-test="dashboard-scope"]').text()).toBe('全市');
    expect(wrapper.find('[data-test="unit-dc-open"]').text()).toBe('4');
    expect(wrapper.findAll('[data-test="chart-stub"]')).toHaveLength(4);
  });

  it('opens the list filtered to a card’s, a chart’s or a unit cell’s orders', async () => {
    const { wrapper, router } = await mountDashboard();
    await wrapper.find('[data-test="stat-overdue"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/work-orders?warning=red');

    await router.push('/dashboard');
    await flushPromises();
    await wrapper.find('[data-test="unit-dc-open"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ open: 'true', leadUnitId: '20' });

    await router.push('/dashboard');
    await flushPromises();
    await wrapper.find('[data-test="chart-channel"] [data-test="chart-stub"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toMatchObject({ channel: 'phone', createdFrom: '2026-10-19T16:00:00.000Z' });
  });

  it('lists the units by open orders, largest first, and sorts by a column on its header', async () => {
    const { wrapper } = await mountDashboard();
    const order = () => wrapper.findAll('[data-test^="unit-row-"]').map((row) => row.attributes('data-test'));
    const header = (key: string) => wrapper.find(`[data-test="unit-sort-${key}"]`);
    expect(order()).toEqual(['unit-row-dc', 'unit-row-cgj']);
    expect(header('open').element.closest('th')?.getAttribute('aria-sort')).toBe('descending');

    await header('overdue').trigger('click');
    expect(order()).toEqual(['unit-row-cgj', 'unit-row-dc']);
    expect(header('overdue').element.closest('th')?.getAttribute('aria-sort')).toBe('descending');
    expect(header('open').element.closest('th')?.hasAttribute('aria-sort')).toBe(false);

    await header('overdue').trigger('click');
    expect(order()).toEqual(['unit-row-dc', 'unit-row-cgj']);
    expect(header('overdue').element.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    // A count above zero is coloured by its column's warning.
    expect(wrapper.find('[data-test="unit-cgj-overdue"]').classes()).toContain('is-danger');
    expect(wrapper.find('[data-test="unit-dc-yellow"]').classes()).toContain('is-warning');
    expect(wrapper.find('[data-test="unit-row-dc"]').text()).toContain('50%');
  });

  it('speaks English', async () => {
    const { wrapper } = await mountDashboard('en');
    expect(wrapper.find('[data-test="stat-overdue"]').text()).toContain('Overdue (red)');
    expect(wrapper.find('[data-test="open-status-dispatched"]').text()).toMatch(/ 2$/);
    expect(wrapper.find('[data-test="dashboard-scope"]').text()).toBe('Whole city');
    expect(wrapper.find('[data-test="unit-table"]').text()).toContain('Of which closed');
  });

  it('reloads on the refresh button', async () => {
    const { wrapper } = await mountDashboard();
    expect(getDashboard).toHaveBeenCalledTimes(1);
    await wrapper.find('[data-test="dashboard-refresh"]').trigger('click');
    await flushPromises();
    expect(getDashboard).toHaveBeenCalledTimes(2);
  });

  it('says what went wrong when the figures cannot be loaded', async () => {
    vi.mocked(getDashboard).mockReset().mockRejectedValue(new ApiError('no', { kind: 'http', statusCode: 403 }));
    const { wrapper } = await mountDashboard();
    expect(wrapper.find('[data-test="dashboard-error"]').exists()).toBe(true);
  });
});

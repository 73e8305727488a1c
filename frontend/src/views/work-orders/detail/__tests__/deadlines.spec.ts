import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrderDetail } from '../../__tests__/fixtures';
import DetailView from '../index.vue';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: StubPage },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: DetailView },
];

describe('work-order detail: deadlines', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getWorkOrder).mockReset();
  });

  it('shows running deadlines first with coloured countdowns, the order’s warning, and the lateness records', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(
      workOrderDetail({
        warningLevel: 'red',
        acceptLateMinutes: 45,
        replyLateMinutes: null,
        deadlines: [
          { kind: 'accept', dueAt: '2026-03-09T03:00:00.000Z', running: false, clock: 'working', remainingWorkingMinutes: -45, level: 'none' },
          { kind: 'contact', dueAt: '2026-03-10T01:00:00.000Z', running: true, clock: 'working', remainingWorkingMinutes: -90, level: 'red' },
          { kind: 'reply', dueAt: '2026-03-16T01:00:00.000Z', running: true, clock: 'working', remainingWorkingMinutes: 100, level: 'yellow' },
        ],
      }),
    );
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    const rows = wrapper.findAll('[data-test="deadline"]');
    expect(rows.map((r) => r.attributes('data-kind'))).toEqual(['contact', 'reply', 'accept']);
    expect(rows[0].text()).toContain('首次联系');
    // Shown in Beijing time whatever the browser's zone: 01:00 UTC is 09:00 in Shanghai.
    expect(rows[0].text()).toContain('09:00');
    expect(rows[0].find('[data-test="deadline-countdown"]').text()).toBe('已超期 1.5 工作小时');
    expect(rows[1].find('[data-test="deadline-countdown"]').attributes('data-level')).toBe('yellow');
    expect(rows[2].find('[data-test="deadline-countdown"]').text()).toBe('未计时');
    expect(wrapper.find('[data-test="warning-tag"]').text()).toBe('红灯超期');
    const lateness = wrapper.find('[data-test="lateness"]').text();
    expect(lateness).toContain('签收超期');
    expect(lateness).toContain('超期 0.8 工作小时');
    expect(lateness).not.toContain('答复超期');
  });

  it('says so when the order has no deadline and was never late', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ deadlines: [] }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    const card = wrapper.find('[data-test="detail-deadlines"]').text();
    expect(card).toContain('暂无办理时限');
    expect(card).toContain('无超期记录');
    expect(wrapper.find('[data-test="warning-tag"]').exists()).toBe(false);
  });
});

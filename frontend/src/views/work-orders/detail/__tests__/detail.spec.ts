import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { timelineEvent, workOrderDetail } from '../../__tests__/fixtures';
import DetailView from '../index.vue';
import { DETAIL_REFRESH_MS } from '../useWorkOrderDetail';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: StubPage },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: DetailView },
];

const detail = workOrderDetail({
  timeline: [
    timelineEvent(),
    timelineEvent({
      id: 2,
      action: 'dispatch',
      fromStatus: 'registered',
      toStatus: 'dispatched',
      actorName: '李强',
      actorRole: 'dispatcher',
      reason: '属地管理',
      createdAt: '2025-06-12T02:10:00.000Z',
    }),
    timelineEvent({ id: 3, action: 'remind', fromStatus: null, toStatus: null, actorName: null, actorRole: null, unitName: null }),
  ],
  allowedActions: ['reply', 'request-extension'],
});

describe('work-order detail view', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getWorkOrder).mockReset();
  });

  it('loads the order of the URL and shows its fields and the citizen as the server sent them', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    expect(vi.mocked(getWorkOrder).mock.calls[0]?.[0]).toBe(42);
    expect(wrapper.find('[data-test="detail-number"]').text()).toBe('20250612-0007');
    expect(wrapper.text()).toContain('小区门口路灯不亮');
    expect(wrapper.text()).toContain('城乡建设 › 市政设施 › 路灯');
    expect(wrapper.text()).toContain('市城市照明管理中心');
    const citizen = wrapper.find('[data-test="detail-citizen"]').text();
    expect(citizen).toContain('陈**');
    expect(citizen).toContain('138****5678');
  });

  it('shows the timeline with action, actor, role, unit, status change and reason', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    const events = wrapper.findAll('[data-test="timeline-event"]');
    expect(events.map((e) => e.find('[data-test="timeline-action"]').text())).toEqual(['登记', '派单', '催办']);
    const dispatch = events[1].text();
    expect(dispatch).toContain('李强');
    expect(dispatch).toContain('派单员');
    expect(dispatch).toContain('市民热线服务中心');
    expect(dispatch).toMatch(/待派单\s*→\s*待签收/);
    expect(dispatch).toContain('原因：属地管理');
    expect(events[2].find('[data-test="timeline-actor"]').text()).toBe('系统');
  });

  it('shows the allowed actions as (for now disabled) buttons, translated', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42', locale: 'en' });
    await flushPromises();

    const buttons = wrapper.findAll('[data-test="detail-actions"] button');
    expect(buttons.map((b) => b.text())).toEqual(['Reply', 'Request extension']);
    expect(buttons.every((b) => b.attributes('disabled') !== undefined)).toBe(true);
  });

  it("shows the server's message when the order cannot be loaded", async () => {
    vi.mocked(getWorkOrder).mockRejectedValue(new ApiError('工单不存在', { kind: 'server', statusCode: 404 }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/999' });
    await flushPromises();

    expect(wrapper.find('[data-test="detail-error"]').text()).toBe('工单不存在');
    expect(wrapper.find('[data-test="detail-number"]').exists()).toBe(false);
  });

  it('re-reads the order every minute so that countdowns stay current, keeping what is shown if that fails', async () => {
    vi.useFakeTimers();
    try {
      vi.mocked(getWorkOrder).mockResolvedValueOnce(detail).mockResolvedValueOnce({ ...detail, title: '刷新后的标题' });
      const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
      await flushPromises();
      expect(getWorkOrder).toHaveBeenCalledTimes(1);

      await vi.advanceTimersByTimeAsync(DETAIL_REFRESH_MS);
      await flushPromises();
      expect(getWorkOrder).toHaveBeenCalledTimes(2);
      expect(wrapper.text()).toContain('刷新后的标题');

      vi.mocked(getWorkOrder).mockRejectedValueOnce(new ApiError('boom', { kind: 'network', statusCode: 0 }));
      await vi.advanceTimersByTimeAsync(DETAIL_REFRESH_MS);
      await flushPromises();
      expect(wrapper.text()).toContain('刷新后的标题');
      expect(wrapper.find('[data-test="detail-error"]').exists()).toBe(false);
      wrapper.unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});

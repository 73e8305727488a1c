import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type * as AttachmentsApi from '@/api/attachments';
import { downloadAttachment } from '@/api/attachments';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { timelineEvent, workOrderDetail } from '../../__tests__/fixtures';
import DetailView from '../index.vue';
import { DETAIL_REFRESH_MS } from '../useWorkOrderDetail';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/attachments', async (original) => ({ ...(await original<typeof AttachmentsApi>()), downloadAttachment: vi.fn() }));
const changes = vi.hoisted(() => ({
  callback: null as ((event: { workOrderId: number; version: number } | null) => void) | null,
  /** What the console heard over the socket before the page followed the order (the store's latest change per order). */
  heard: new Map<number, { workOrderId: number; version: number }>(),
}));
vi.mock('@/composables/useWorkOrderChanges', () => ({
  useWorkOrderChanges: (callback: (event: { workOrderId: number; version: number } | null) => void) => {
    changes.callback = callback;
  },
  latestWorkOrderChange: (workOrderId: number) => changes.heard.get(workOrderId),
}));

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
    vi.mocked(performAction).mockReset();
    vi.mocked(downloadAttachment).mockReset();
    changes.heard.clear();
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

  it('shows one enabled button per allowed action, translated, each opening its dialog', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42', locale: 'en' });
    await flushPromises();

    const buttons = wrapper.findAll('[data-test="detail-actions"] button[data-action]');
    expect(buttons.map((b) => b.text())).toEqual(['Reply', 'Request extension']);
    expect(buttons.every((b) => b.attributes('disabled') === undefined)).toBe(true);
    expect(buttons[0].classes()).toContain('el-button--primary');

    await buttons[0].trigger('click');
    await flushPromises();
    const dialog = document.querySelector('[data-test="action-dialog"]');
    expect(dialog?.getAttribute('data-action')).toBe('reply');
    expect(dialog?.querySelector('[data-test="reply-form"]')).not.toBeNull();
  });

  it('shows the answer of an action at once', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ status: 'dispatched', allowedActions: ['accept'] }));
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'processing', allowedActions: ['contact', 'reply'], version: 4 }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    await wrapper.find('button[data-action="accept"]').trigger('click');
    await flushPromises();
    document.querySelector<HTMLElement>('[data-test="action-submit"]')?.click();
    await flushPromises();

    expect(performAction).toHaveBeenCalledWith(42, 'accept', { version: 3 });
    expect(wrapper.find('[data-test="detail-status"]').text()).toBe('办理中');
    expect(wrapper.findAll('button[data-action]').map((b) => b.attributes('data-action'))).toEqual(['contact', 'reply']);
    expect(getWorkOrder).toHaveBeenCalledTimes(1);
  });

  it('shows a step that kept the status as the action alone, not as "A → A"', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(
      workOrderDetail({
        timeline: [
          timelineEvent({ id: 1, action: 'accept', fromStatus: 'dispatched', toStatus: 'processing' }),
          timelineEvent({ id: 2, action: 'contact', fromStatus: 'processing', toStatus: 'processing', reason: '已电话联系' }),
        ],
      }),
    );
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    const events = wrapper.findAll('[data-test="timeline-event"]');
    expect(events[0].find('[data-test="timeline-transition"]').text()).toMatch(/待签收\s*→\s*办理中/);
    expect(events[1].find('[data-test="timeline-action"]').text()).toBe('先行联系');
    expect(events[1].find('[data-test="timeline-transition"]').exists()).toBe(false);
    expect(events[1].text()).not.toContain('办理中');
  });

  it('says 保密 (Confidential) for a confidential citizen the viewer may not see, not "—"', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ citizenConfidential: true, citizenName: null, citizenPhone: null }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(wrapper.find('[data-test="citizen-name"]').text()).toBe('保密');
    expect(wrapper.find('[data-test="citizen-phone"]').text()).toBe('保密');
    wrapper.unmount();

    document.body.innerHTML = '';
    const english = await mountView({ routes, path: '/work-orders/42', locale: 'en' });
    await flushPromises();
    expect(english.wrapper.find('[data-test="citizen-phone"]').text()).toBe('Confidential');
  });

  it('links accessible related orders and names the others by id only', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(
      workOrderDetail({
        parentId: 40,
        parent: { id: 40, accessible: false },
        children: [{ id: 43, accessible: true, number: '20250612000043', title: '下派给社区', status: 'processing', leadUnit: null, replyDueAt: null }],
      }),
    );
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(wrapper.find('[data-test="related-parent"]').text()).toContain('工单 #40（无权查看）');
    expect(wrapper.find('[data-test="related-parent"] a').exists()).toBe(false);
    const child = wrapper.find('[data-test="related-children"] a');
    expect(child.text()).toBe('20250612000043');
    expect(child.attributes('href')).toBe('/work-orders/43');
  });

  it('lists attachments with image thumbnails fetched with the session (blob)', async () => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:thumb'), revokeObjectURL: vi.fn() }));
    vi.mocked(downloadAttachment).mockResolvedValue(new Blob(['png']));
    vi.mocked(getWorkOrder).mockResolvedValue(
      workOrderDetail({
        attachments: [
          { id: 'a1', fileName: '现场.png', mimeType: 'image/png', size: 2048, sha256: 'x', purpose: 'reply', createdAt: '2025-06-12T03:00:00.000Z' },
          { id: 'a2', fileName: '说明.pdf', mimeType: 'application/pdf', size: 4096, sha256: 'y', purpose: 'register', createdAt: '2025-06-12T03:00:00.000Z' },
        ],
      }),
    );
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(downloadAttachment).toHaveBeenCalledWith(42, 'a1');
    expect(downloadAttachment).not.toHaveBeenCalledWith(42, 'a2');
    const files = wrapper.findAll('[data-test="attachment"]');
    expect(files.map((f) => f.attributes('data-name'))).toEqual(['现场.png', '说明.pdf']);
    expect(files[0].find('[data-test="attachment-thumb"]').exists()).toBe(true);
    expect(files[0].text()).toContain('答复附件');
    vi.unstubAllGlobals();
  });

  it('shows the not-found page when the order does not exist or may not be seen (404)', async () => {
    vi.mocked(getWorkOrder).mockRejectedValue(new ApiError('Work order 999 not found', { kind: 'server', statusCode: 404 }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/999' });
    await flushPromises();
    expect(wrapper.find('[data-test="detail-not-found"]').text()).toContain('该工单不存在，或您无权查看');
    expect(wrapper.find('[data-test="detail-number"]').exists()).toBe(false);
  });

  it('reloads when someone else changes this order (workOrder.changed), not for other orders', async () => {
    vi.mocked(getWorkOrder).mockResolvedValueOnce(detail).mockResolvedValueOnce({ ...detail, status: 'reply_review', version: 4 });
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    changes.callback?.({ workOrderId: 77, version: 9 });
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledTimes(1);
    changes.callback?.({ workOrderId: 42, version: 4 });
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="detail-status"]').text()).toBe('待审核');
  });

  it('reads the order again when a newer change of it was heard while it was being read, once per change', async () => {
    // The detector marked the order (version 4) while the page's request was under way: the answer has version 3.
    changes.heard.set(42, { workOrderId: 42, version: 4 });
    vi.mocked(getWorkOrder).mockResolvedValueOnce(detail).mockResolvedValueOnce({ ...detail, status: 'reply_review', version: 4 });
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="detail-status"]').text()).toBe('待审核');

    // A server that still answers the older version (a lagging read) is not asked again and again for the same change.
    vi.mocked(getWorkOrder).mockReset();
    changes.heard.set(42, { workOrderId: 42, version: 5 });
    vi.mocked(getWorkOrder).mockResolvedValue({ ...detail, version: 4 });
    await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledTimes(2);
  });

  it('does not read the order again for a change it already has', async () => {
    changes.heard.set(42, { workOrderId: 42, version: detail.version });
    changes.heard.set(77, { workOrderId: 77, version: 99 });
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledTimes(1);
  });

  it('shows the translated message when the order cannot be loaded', async () => {
    vi.mocked(getWorkOrder).mockRejectedValue(new ApiError('boom', { kind: 'server', statusCode: 500 }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/999' });
    await flushPromises();

    expect(wrapper.find('[data-test="detail-error"]').text()).toBe('服务器出错，请稍后重试');
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

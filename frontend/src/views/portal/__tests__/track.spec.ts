import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { http } from '@/api/http';
import type { TrackedRequest } from '@/api/portal';
import type { AppLocale } from '@/locales';
import portalRoutes from '@/router/modules/portal';
import { mountView } from '@/testing/mount-view';

const closed: TrackedRequest = {
  number: '20261202000017',
  status: 'closed',
  requestType: 'report',
  category: '城乡建设/市政设施/路灯',
  title: '朝阳路路灯不亮',
  address: '朝阳路18号',
  createdAt: '2026-12-02T01:00:00.000Z',
  reply: '路灯已于今日修复。',
  repliedAt: '2026-12-03T02:00:00.000Z',
  closedAt: '2026-12-04T03:00:00.000Z',
  timeline: [
    { step: 'submitted', at: '2026-12-02T01:00:00.000Z', department: null },
    { step: 'dispatched', at: '2026-12-02T01:30:00.000Z', department: '云川市城市管理局' },
    { step: 'replied', at: '2026-12-03T02:00:00.000Z', department: null },
    { step: 'closed', at: '2026-12-04T03:00:00.000Z', department: null },
  ],
};

async function openTrack(locale: AppLocale = 'zh-CN', query = '?number=20261202000017') {
  const { wrapper, router } = await mountView({ routes: portalRoutes, path: `/portal/track${query}`, locale });
  await flushPromises();
  return { wrapper, router };
}

async function lookUp(wrapper: Awaited<ReturnType<typeof openTrack>>['wrapper'], phone: string) {
  await wrapper.find('input[data-test="portal-track-phone"]').setValue(phone);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
  // The form items show a failed validation's message 100 ms after it settles (Element Plus debounces it).
  await new Promise((resolve) => setTimeout(resolve, 150));
  await flushPromises();
}

describe('portal: 进度查询', { timeout: 20_000 }, () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
  });

  it('prefills the number, asks without a token and shows the status, the reply and the public timeline, newest first', async () => {
    const get = vi.spyOn(http, 'get').mockResolvedValue(closed);
    const { wrapper } = await openTrack();
    expect((wrapper.find('input[data-test="portal-track-number"]').element as HTMLInputElement).value).toBe('20261202000017');
    await lookUp(wrapper, '138-1234-1234');

    expect(get).toHaveBeenCalledWith('/public/requests/20261202000017', expect.objectContaining({ anonymous: true, params: { phone: '138-1234-1234' } }));
    expect(wrapper.find('[data-test="portal-track"]').attributes('data-state')).toBe('loaded');
    const status = wrapper.find('[data-test="portal-track-status"]');
    expect(status.text()).toBe('已办结');
    expect(status.attributes('data-status')).toBe('closed');
    expect(wrapper.find('[data-test="portal-track-reply"]').text()).toContain('路灯已于今日修复。');
    const steps = wrapper.findAll('[data-test="portal-track-timeline"] .el-timeline-item');
    expect(steps.map((s) => s.attributes('data-step'))).toEqual(['closed', 'replied', 'dispatched', 'submitted']);
    expect(steps[2].text()).toContain('已转交云川市城市管理局办理');
    // The center's time zone: 01:30 UTC is 09:30 in Shanghai.
    expect(steps[2].text()).toContain('09:30');
  });

  it('says so when the number and phone do not match, in the portal’s own words', async () => {
    vi.spyOn(http, 'get').mockRejectedValue(new ApiError('No request has this number and phone number: check both', { kind: 'server', statusCode: 404 }));
    const { wrapper } = await openTrack();
    await lookUp(wrapper, '13812341234');
    expect(wrapper.find('[data-test="portal-track"]').attributes('data-state')).toBe('error');
    expect(wrapper.find('[data-test="portal-track-error"]').text()).toContain('未查到该诉求：请核对工单编号和联系电话');
    expect(wrapper.find('[data-test="portal-track-result"]').exists()).toBe(false);
  });

  it('tells how long to wait after too many look-ups', async () => {
    vi.spyOn(http, 'get').mockRejectedValue(new ApiError('Too many', { kind: 'server', statusCode: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds: 1800 } }));
    const { wrapper } = await openTrack();
    await lookUp(wrapper, '13812341234');
    expect(wrapper.find('[data-test="portal-track-error"]').text()).toContain('请 30 分钟后再试');
  });

  it('checks the fields before asking, and speaks English when chosen', async () => {
    const get = vi.spyOn(http, 'get').mockResolvedValue({ ...closed, status: 'in_progress', reply: null, repliedAt: null, closedAt: null, timeline: closed.timeline.slice(0, 2) });
    const { wrapper } = await openTrack('en', '');
    await lookUp(wrapper, '12');
    expect(get).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Enter the request number');
    expect(wrapper.text()).toContain('Enter an 11-digit mobile number');

    await wrapper.find('input[data-test="portal-track-number"]').setValue('20261202000017');
    await lookUp(wrapper, '13812341234');
    expect(wrapper.find('[data-test="portal-track-status"]').text()).toBe('In progress');
    expect(wrapper.find('[data-test="portal-track-reply"]').text()).toContain('The answer appears here once the request is handled');
    expect(wrapper.find('[data-test="portal-track-timeline"]').text()).toContain('Passed to 云川市城市管理局');
  });
});

import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type * as callsApi from '@/api/calls';
import { fetchRecording, findWorkOrderByNumber, getCall, linkWorkOrder } from '@/api/calls';
import { CALL_DETAIL, CALLS } from '@/router/modules/calls';
import { mountView, StubPage } from '@/testing/mount-view';
import CallDetailView from '../detail/index.vue';
import { AUTO_LOAD_MAX_BYTES, recordingAvailability, RECORDING_PENDING_MS } from '../detail/useRecording';
import { orderNumberProblem } from '../detail/useCallDetail';
import { answeredCall, callDetail } from './fixtures';

vi.mock('@/api/calls', async (importOriginal) => ({
  ...(await importOriginal<typeof callsApi>()),
  getCall: vi.fn(),
  fetchRecording: vi.fn(),
  findWorkOrderByNumber: vi.fn(),
  linkWorkOrder: vi.fn(),
}));

const createObjectURL = vi.fn((_blob: Blob) => 'blob:recording-17');
const revokeObjectURL = vi.fn((_url: string) => undefined);

async function mountDetail(id = 17) {
  const mounted = await mountView({
    routes: [
      { path: '/calls', name: CALLS, component: StubPage },
      { path: '/calls/:id(\\d+)', name: CALL_DETAIL, component: CallDetailView },
      { path: '/work-orders/:id', name: 'work-order-detail', component: StubPage },
    ],
    path: `/calls/${id}`,
  });
  await flushPromises();
  return mounted;
}

const text = (wrapper: Awaited<ReturnType<typeof mountDetail>>['wrapper'], selector: string) => wrapper.find(selector).text();

describe('call detail page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    Object.defineProperty(URL, 'createObjectURL', { value: createObjectURL, configurable: true, writable: true });
    Object.defineProperty(URL, 'revokeObjectURL', { value: revokeObjectURL, configurable: true, writable: true });
    createObjectURL.mockClear();
    revokeObjectURL.mockClear();
    vi.mocked(getCall).mockReset().mockResolvedValue(callDetail());
    vi.mocked(fetchRecording).mockReset().mockResolvedValue(new Blob([new Uint8Array(44)], { type: 'audio/wav' }));
    vi.mocked(findWorkOrderByNumber).mockReset();
    vi.mocked(linkWorkOrder).mockReset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the times, durations, agent, survey and the linked orders with links to them', async () => {
    const { wrapper } = await mountDetail();
    expect(getCall).toHaveBeenCalledWith(17, expect.any(AbortSignal));
    expect(wrapper.find('[data-test="call-detail"]').attributes('data-state')).toBe('loaded');
    expect(text(wrapper, '[data-field="ringingAt"]')).toBe('2026-12-02 09:00:00');
    expect(text(wrapper, '[data-field="queuedAt"]')).toBe('2026-12-02 09:00:08');
    expect(text(wrapper, '[data-field="answeredAt"]')).toBe('2026-12-02 09:00:21');
    expect(text(wrapper, '[data-field="endedAt"]')).toBe('2026-12-02 09:03:12');
    expect(text(wrapper, '[data-field="waitSeconds"]')).toBe('0:21');
    expect(text(wrapper, '[data-field="talkSeconds"]')).toBe('2:51');
    expect(text(wrapper, '[data-test="call-detail-agent"]')).toBe('话务员张敏（分机 8001）');
    expect(text(wrapper, '[data-test="call-overview"]')).toContain('满意');
    expect(text(wrapper, '[data-test="call-detail-called-back"]')).toBe('不需要回拨');
    const order = wrapper.find('[data-test="call-order-link"]');
    expect(order.text()).toBe('20261202000012');
    expect(order.attributes('href')).toBe('/work-orders/41');
    expect(text(wrapper, '[data-test="call-orders"]')).toContain('路灯不亮');
  });

  it('plays the recording from a blob fetched with the session, and frees it when the page is left', async () => {
    const { wrapper } = await mountDetail();
    expect(fetchRecording).toHaveBeenCalledWith(17, expect.any(AbortSignal));
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('ready');
    const audio = wrapper.find('[data-test="call-recording-audio"]');
    expect(audio.attributes('src')).toBe('blob:recording-17');
    expect(audio.attributes('controls')).toBeDefined();
    expect(text(wrapper, '[data-test="call-recording-info"]')).toContain('3:07');
    expect(wrapper.find('[data-test="call-recording-download"]').attributes('download')).toBe('call-17.wav');
    expect(revokeObjectURL).not.toHaveBeenCalled();
    // A browser that cannot play it says so; the download stays.
    await audio.trigger('error');
    expect(text(wrapper, '[data-test="call-recording-unplayable"]')).toContain('浏览器无法播放这段录音');
    expect(wrapper.find('[data-test="call-recording-download"]').exists()).toBe(true);
    wrapper.unmount();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:recording-17');
  });

  it('says why there is no recording: none, still uploading, call going on', async () => {
    const ended = Date.parse('2026-12-02T01:03:12.000Z');
    expect(recordingAvailability({ recording: null, endedAt: '2026-12-02T01:03:12.000Z' }, ended + RECORDING_PENDING_MS + 1)).toBe('none');
    expect(recordingAvailability({ recording: null, endedAt: '2026-12-02T01:03:12.000Z' }, ended + 1000)).toBe('pending');
    expect(recordingAvailability({ recording: null, endedAt: null }, ended)).toBe('inProgress');

    vi.mocked(getCall).mockResolvedValue(callDetail({ recording: null }));
    let mounted = await mountDetail();
    expect(mounted.wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('none');
    expect(text(mounted.wrapper, '[data-test="call-recording-note"]')).toBe('本通话没有录音');
    expect(fetchRecording).not.toHaveBeenCalled();
    mounted.wrapper.unmount();

    document.body.innerHTML = '';
    vi.mocked(getCall).mockResolvedValue(callDetail({ recording: null, endedAt: new Date().toISOString() }));
    mounted = await mountDetail();
    expect(text(mounted.wrapper, '[data-test="call-recording-note"]')).toBe('录音正在上传，稍候自动显示');
    mounted.wrapper.unmount();

    document.body.innerHTML = '';
    vi.mocked(getCall).mockResolvedValue(callDetail({ recording: null, endedAt: null, status: 'answered' }));
    mounted = await mountDetail();
    expect(text(mounted.wrapper, '[data-test="call-recording-note"]')).toBe('通话尚未结束，结束后上传录音');
  });

  it('reads the record again while the recording is on its way, and plays it once it has come', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.parse('2026-12-02T01:03:20.000Z'));
    vi.mocked(getCall).mockResolvedValueOnce(callDetail({ recording: null })).mockResolvedValue(callDetail());
    const { wrapper } = await mountDetail();
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('pending');
    await vi.advanceTimersByTimeAsync(5000);
    await flushPromises();
    expect(getCall).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('ready');
    // Nothing more to wait for: no more reading.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(getCall).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('loads a large recording only on a click, and offers a retry when it fails', async () => {
    vi.mocked(getCall).mockResolvedValue(callDetail({ recording: { ...answeredCall().recording!, bytes: AUTO_LOAD_MAX_BYTES + 1 } }));
    vi.mocked(fetchRecording).mockRejectedValueOnce(new ApiError('Call record 17 does not exist', { kind: 'server', statusCode: 404 }));
    const { wrapper } = await mountDetail();
    expect(fetchRecording).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('idle');
    await wrapper.find('[data-test="call-recording-load"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('error');
    expect(text(wrapper, '[data-test="call-recording"]')).toContain('录音加载失败');
    await wrapper.find('[data-test="call-recording-retry"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="call-recording"]').attributes('data-state')).toBe('ready');
  });

  it('links an order by its number, and explains an unknown number and one already linked', async () => {
    expect(orderNumberProblem('')).toBe('calls.link.numberRequired');
    expect(orderNumberProblem('12a45678')).toBe('calls.link.numberPattern');
    expect(orderNumberProblem(' 20261202000013 ')).toBeNull();

    const { wrapper } = await mountDetail();
    const input = wrapper.find('input[data-test="call-link-number"]');
    const submit = () => wrapper.find('[data-test="call-link-form"]').trigger('submit');

    await input.setValue('123');
    await submit();
    await flushPromises();
    expect(text(wrapper, '[data-test="call-link-error"]')).toBe('工单编号是 6 到 20 位数字');
    expect(findWorkOrderByNumber).not.toHaveBeenCalled();

    vi.mocked(findWorkOrderByNumber).mockResolvedValueOnce(null);
    await input.setValue('20261202009999');
    await submit();
    await flushPromises();
    expect(text(wrapper, '[data-test="call-link-error"]')).toBe('没有编号为 20261202009999 的工单');

    vi.mocked(findWorkOrderByNumber).mockResolvedValue({ id: 41, number: '20261202000012' });
    vi.mocked(linkWorkOrder).mockRejectedValueOnce(new ApiError('Work order 41 is already linked to this call', { kind: 'server', statusCode: 409 }));
    await input.setValue('20261202000012');
    await submit();
    await flushPromises();
    expect(text(wrapper, '[data-test="call-link-error"]')).toBe('工单 20261202000012 已关联到本通话');

    const second = { id: 42, number: '20261202000013', title: '井盖缺失', status: 'registered', linkedAt: '2026-12-02T01:05:00.000Z', linkedBy: { id: 2, displayName: '话务员张敏' } };
    vi.mocked(findWorkOrderByNumber).mockResolvedValue({ id: 42, number: '20261202000013' });
    vi.mocked(linkWorkOrder).mockResolvedValue(callDetail({ workOrders: [...callDetail().workOrders, second] }));
    await input.setValue(' 20261202000013 ');
    await submit();
    await flushPromises();
    expect(linkWorkOrder).toHaveBeenLastCalledWith(17, 42);
    expect(wrapper.find('[data-test="call-link-error"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-test="call-order-link"]').map((link) => link.text())).toEqual(['20261202000012', '20261202000013']);
    expect((input.element as HTMLInputElement).value).toBe('');
    // The recording stays as it was: the record was only read again.
    expect(fetchRecording).toHaveBeenCalledTimes(1);
  });

  it('says so when the call does not exist', async () => {
    vi.mocked(getCall).mockRejectedValue(new ApiError('Call record 99 does not exist', { kind: 'server', statusCode: 404 }));
    const { wrapper } = await mountDetail(99);
    expect(wrapper.find('[data-test="call-detail"]').attributes('data-state')).toBe('error');
    expect(wrapper.find('[data-test="call-detail-error"]').exists()).toBe(true);
  });
});

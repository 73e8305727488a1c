import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as callsApi from '@/api/calls';
import { getLiveView, type LiveView } from '@/api/calls';
import { CALL_DETAIL, LIVE_CALLS } from '@/router/modules/calls';
import { mountView, StubPage } from '@/testing/mount-view';
import LiveViewPage from '../live/index.vue';
import { liveView } from './fixtures';

vi.mock('@/api/calls', async (importOriginal) => ({ ...(await importOriginal<typeof callsApi>()), getLiveView: vi.fn() }));

let visibility: DocumentVisibilityState = 'visible';
/** Unmounted after each test, also a failed one (a page left mounted would go on polling into the next test). */
const mounted: { unmount: () => void }[] = [];

async function mountLive() {
  const result = await mountView({
    routes: [
      { path: '/calls/live', name: LIVE_CALLS, component: LiveViewPage },
      { path: '/calls/:id(\\d+)', name: CALL_DETAIL, component: StubPage },
    ],
    path: '/calls/live',
  });
  await flushPromises();
  mounted.push(result.wrapper);
  return result;
}

const cells = (wrapper: Awaited<ReturnType<typeof mountLive>>['wrapper'], table: string, column: string) =>
  wrapper.findAll(`[data-test="${table}"] .el-table__body-wrapper [data-col="${column}"]`).map((cell) => cell.text());

describe('live view page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    visibility = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    // The browser's clock is 10 s behind the server's: the times follow the server's.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(Date.parse('2026-12-02T01:09:50.000Z'));
    vi.mocked(getLiveView)
      .mockReset()
      .mockImplementation(() => Promise.resolve(liveView(new Date(Date.now() + 10_000).toISOString())));
  });
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) {
      try {
        wrapper.unmount();
      } catch {
        // Already unmounted by the test.
      }
    }
    vi.useRealTimers();
  });

  it('shows the queue, the calls with waiting and talking times that tick, and the agents since when', async () => {
    const { wrapper } = await mountLive();
    expect(wrapper.find('[data-test="live-view"]').attributes('data-state')).toBe('loaded');
    expect(wrapper.find('[data-test="live-queue-length"]').text()).toBe('1');
    expect(wrapper.find('[data-test="live-call-count"]').text()).toBe('2');
    expect(wrapper.find('[data-test="live-ready-count"]').text()).toBe('1');
    expect(wrapper.find('[data-test="live-busy-count"]').text()).toBe('1');
    // Server time 01:10:00: the answered call has waited 21 s (fixed) and talked 9:39; the queued one waits since 01:00:00.
    expect(cells(wrapper, 'live-calls', 'waiting')).toEqual(['0:21', '10:00']);
    expect(cells(wrapper, 'live-calls', 'talking')).toEqual(['9:39', '—']);
    expect(cells(wrapper, 'live-agents', 'since')).toEqual(['9:39', '5:00']);
    expect(wrapper.findAll('[data-test="live-agent-state"]').map((tag) => tag.text())).toEqual(['忙碌', '就绪']);
    expect(wrapper.find('[data-test="live-agents"]').text()).toContain('13800138000');

    await vi.advanceTimersByTimeAsync(2000);
    expect(cells(wrapper, 'live-calls', 'talking')).toEqual(['9:41', '—']);
    expect(cells(wrapper, 'live-calls', 'waiting')).toEqual(['0:21', '10:02']);
  });

  it('refreshes every 3 s while visible, pauses while hidden, and stops when left', async () => {
    const { wrapper } = await mountLive();
    expect(getLiveView).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(getLiveView).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(getLiveView).toHaveBeenCalledTimes(3);

    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await flushPromises();
    expect(wrapper.find('[data-test="live-paused"]').exists()).toBe(true);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(getLiveView).toHaveBeenCalledTimes(3);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await flushPromises();
    expect(getLiveView).toHaveBeenCalledTimes(4);

    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(getLiveView).toHaveBeenCalledTimes(4);
  });

  it('never sends a second request while one is unanswered', async () => {
    let answer: (view: LiveView) => void = () => undefined;
    vi.mocked(getLiveView).mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const { wrapper } = await mountLive();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getLiveView).toHaveBeenCalledTimes(1);
    await wrapper.find('[data-test="live-refresh"]').trigger('click');
    expect(getLiveView).toHaveBeenCalledTimes(1);
    answer(liveView(new Date().toISOString()));
    await vi.advanceTimersByTimeAsync(3000);
    expect(getLiveView).toHaveBeenCalledTimes(2);
  });

  it('keeps the last data and says so when a refresh fails', async () => {
    const { ApiError } = await import('@/api/api-error');
    const { wrapper } = await mountLive();
    vi.mocked(getLiveView).mockRejectedValueOnce(new ApiError('down', { kind: 'network', statusCode: 0 }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(wrapper.find('[data-test="live-error"]').text()).toContain('显示的是上次的数据');
    expect(wrapper.find('[data-test="live-queue-length"]').text()).toBe('1');
    await vi.advanceTimersByTimeAsync(3000);
    expect(wrapper.find('[data-test="live-error"]').exists()).toBe(false);
  });
});

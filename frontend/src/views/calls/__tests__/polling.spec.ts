import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { usePolling } from '../usePolling';

let visibility: DocumentVisibilityState = 'visible';

function setVisibility(next: DocumentVisibilityState): void {
  visibility = next;
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A component polling `task` every second. */
function mountPolling(task: (signal: AbortSignal) => Promise<void>) {
  let api: ReturnType<typeof usePolling> | undefined;
  const wrapper = mount(
    defineComponent({
      setup() {
        api = usePolling(task, 1000);
        return () => h('div');
      },
    }),
  );
  return { wrapper, api: api! };
}

/** A task whose runs finish when the test says so. */
function controllableTask() {
  const runs: { signal: AbortSignal; finish: () => void }[] = [];
  const task = vi.fn(
    (signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        runs.push({ signal, finish: resolve });
      }),
  );
  return { task, runs };
}

describe('usePolling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    visibility = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once, then an interval after each run has finished: never two at once', async () => {
    const { task, runs } = controllableTask();
    const { wrapper } = mountPolling(task);
    expect(task).toHaveBeenCalledTimes(1);
    // A slow answer: however long it takes, no second request is sent meanwhile.
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).toHaveBeenCalledTimes(1);
    runs[0].finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    runs[1].finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(3);
    wrapper.unmount();
  });

  it('a failing run does not stop the schedule', async () => {
    const task = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(undefined);
    const { wrapper } = mountPolling(task);
    await vi.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('pauses while the tab is hidden (aborting the run under way) and runs at once when it is shown again', async () => {
    const { task, runs } = controllableTask();
    const { wrapper, api } = mountPolling(task);
    setVisibility('hidden');
    expect(runs[0].signal.aborted).toBe(true);
    expect(api.hidden.value).toBe(true);
    runs[0].finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(task).toHaveBeenCalledTimes(1);
    setVisibility('visible');
    expect(task).toHaveBeenCalledTimes(2);
    expect(api.hidden.value).toBe(false);
    wrapper.unmount();
  });

  it('stops for good when the page is left', async () => {
    const { task, runs } = controllableTask();
    const { wrapper } = mountPolling(task);
    wrapper.unmount();
    expect(runs[0].signal.aborted).toBe(true);
    runs[0].finish();
    await vi.advanceTimersByTimeAsync(10_000);
    setVisibility('visible');
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('a manual refresh while a run is under way sends nothing more', async () => {
    const { task, runs } = controllableTask();
    const { wrapper, api } = mountPolling(task);
    void api.refresh();
    expect(task).toHaveBeenCalledTimes(1);
    runs[0].finish();
    await vi.advanceTimersByTimeAsync(0);
    void api.refresh();
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });
});

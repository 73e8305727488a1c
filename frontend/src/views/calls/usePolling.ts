import { onBeforeUnmount, onMounted, readonly, ref } from 'vue';

export interface PollingOptions {
  /** Start when the component is mounted (default true); otherwise `start()` does. */
  immediate?: boolean;
}

/**
 * Runs `task` now and then every `intervalMs` while the page is visible and the component mounted:
 * - never two at once: the next run is scheduled when the previous one has finished (a slow answer delays the next
 *   instead of piling requests up);
 * - a hidden tab stops the schedule and aborts the run in flight; showing it again runs the task at once;
 * - leaving the page (unmount) stops everything.
 * `task` gets an AbortSignal to pass to its request; its errors are its own to report (they do not stop the polling).
 */
export function usePolling(task: (signal: AbortSignal) => Promise<void>, intervalMs: number, options: PollingOptions = {}) {
  const active = ref(false);
  const hidden = ref(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule(): void {
    clearTimer();
    if (active.value && !hidden.value) timer = setTimeout(() => void run(), intervalMs);
  }

  /** One run now, unless one is under way (then that one's end schedules the next). */
  async function run(): Promise<void> {
    clearTimer();
    if (!active.value || hidden.value || inFlight) return;
    const controller = new AbortController();
    inFlight = controller;
    try {
      await task(controller.signal);
    } catch {
      // The task reports its own failures; the schedule goes on.
    } finally {
      if (inFlight === controller) inFlight = null;
    }
    if (!controller.signal.aborted) schedule();
  }

  function onVisibility(): void {
    hidden.value = document.visibilityState === 'hidden';
    if (hidden.value) {
      clearTimer();
      inFlight?.abort();
      inFlight = null;
    } else {
      void run();
    }
  }

  /** Starts polling: the first run now, or after one interval (`runNow` false: what is shown was just loaded). */
  function start(runNow = true): void {
    if (active.value) return;
    active.value = true;
    document.addEventListener('visibilitychange', onVisibility);
    if (runNow) void run();
    else schedule();
  }

  function stop(): void {
    active.value = false;
    clearTimer();
    inFlight?.abort();
    inFlight = null;
    document.removeEventListener('visibilitychange', onVisibility);
  }

  onMounted(() => {
    if (options.immediate !== false) start();
  });
  onBeforeUnmount(stop);

  return {
    /** Polling (mounted, started, not stopped). */
    active: readonly(active),
    /** The tab is hidden: polling is paused. */
    hidden: readonly(hidden),
    /** Runs now (a manual refresh) unless a run is under way. */
    refresh: run,
    start,
    stop,
  };
}

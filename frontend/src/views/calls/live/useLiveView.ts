import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { getLiveView, type LiveView } from '@/api/calls';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { isAbort } from '@/utils/error-message';
import { usePolling } from '../usePolling';

/** The live view is read again this often while the page is visible. */
export const LIVE_REFRESH_MS = 3000;
/** The times on the page tick this often. */
export const TICK_MS = 1000;

type LoadState = 'loading' | 'loaded' | 'error';

/**
 * 实时监控: `GET /api/cti/live` every 3 s while the page is visible (never two requests at once; paused while the tab
 * is hidden; stopped when the page is left), and a clock that ticks every second for the waiting and talking times.
 * The clock follows the server's (`at` of the answer), so a browser whose clock is off still shows true durations.
 */
export function useLiveView() {
  const { message } = useApiErrorMessage();
  const view = shallowRef<LiveView | null>(null);
  const loadState = ref<LoadState>('loading');
  const errorMessage = ref<string | null>(null);
  /** Server time minus browser time, ms. */
  let offset = 0;
  const now = ref(Date.now());

  const polling = usePolling(async (signal) => {
    try {
      const answer = await getLiveView(signal);
      const at = Date.parse(answer.at);
      offset = Number.isNaN(at) ? 0 : at - Date.now();
      view.value = answer;
      now.value = Date.now() + offset;
      errorMessage.value = null;
      loadState.value = 'loaded';
    } catch (error) {
      if (isAbort(error)) return;
      errorMessage.value = message(error);
      if (!view.value) loadState.value = 'error';
    }
  }, LIVE_REFRESH_MS);

  let ticker: ReturnType<typeof setInterval> | null = null;
  function stopTicking(): void {
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
  }
  watch(
    () => polling.active.value && !polling.hidden.value,
    (running) => {
      stopTicking();
      if (running) {
        now.value = Date.now() + offset;
        ticker = setInterval(() => (now.value = Date.now() + offset), TICK_MS);
      }
    },
    { immediate: true },
  );
  onBeforeUnmount(stopTicking);

  const counts = computed(() => {
    const agents = view.value?.agents ?? [];
    return {
      queue: view.value?.queueLength ?? 0,
      calls: view.value?.calls.length ?? 0,
      ready: agents.filter((agent) => agent.state === 'ready').length,
      busy: agents.filter((agent) => agent.state === 'busy' || agent.state === 'ringing').length,
    };
  });

  return { view, loadState, errorMessage, now, counts, paused: polling.hidden, refresh: polling.refresh };
}

import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import { getDashboard, type Dashboard, type DashboardFigure } from '@/api/dashboard';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { isAbort } from '@/utils/error-message';
import { drillRoute } from './drill';

/** Live refreshes come at most this often, however busy the hotline is (the manual button is not limited). */
export const LIVE_REFRESH_MS = 10_000;

/**
 * Calls `run` at most once per `intervalMs`: a call inside the interval is deferred to its end (once, however many
 * arrive meanwhile). `now`/`schedule` are injectable for tests.
 */
export function throttle(
  run: () => void,
  intervalMs: number,
  clock: { now: () => number; schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>; cancel: (id: ReturnType<typeof setTimeout>) => void } = {
    now: () => Date.now(),
    schedule: (fn, ms) => setTimeout(fn, ms),
    cancel: (id) => clearTimeout(id),
  },
) {
  let last = -Infinity;
  let pending: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    pending = null;
    last = clock.now();
    run();
  };
  return {
    call(): void {
      if (pending !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else pending = clock.schedule(fire, wait);
    },
    /** Records a run made another way (the manual refresh), so the next live one waits its interval. */
    ran(): void {
      last = clock.now();
    },
    cancel(): void {
      if (pending !== null) clock.cancel(pending);
      pending = null;
    },
  };
}

export function useDashboard() {
  const router = useRouter();
  const { message } = useApiErrorMessage();
  const data = shallowRef<Dashboard | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    loading.value = true;
    try {
      data.value = await getDashboard(own.signal);
      errorMessage.value = null;
    } catch (error) {
      if (isAbort(error)) return;
      errorMessage.value = message(error);
    } finally {
      if (controller === own) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  const live = throttle(() => void load(), LIVE_REFRESH_MS);

  function refresh(): void {
    live.cancel();
    live.ran();
    void load();
  }

  function drill(figure: DashboardFigure): void {
    void router.push(drillRoute(figure.query));
  }

  useWorkOrderChanges(() => live.call());
  onMounted(() => {
    live.ran();
    void load();
  });
  onBeforeUnmount(() => {
    live.cancel();
    controller?.abort();
  });

  const state = computed(() => (loaded.value && !loading.value ? 'loaded' : 'loading'));
  return { data, loading, loaded, state, errorMessage, refresh, drill };
}

import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useRoute } from 'vue-router';
import { ApiError } from '@/api/api-error';
import type { WorkOrderDetail } from '@/api/models';
import { getWorkOrder } from '@/api/work-orders';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { latestWorkOrderChange, useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { isAbort } from '@/utils/error-message';

/** How often an open order page re-reads the order, so that deadline countdowns and levels stay current. */
export const DETAIL_REFRESH_MS = 60_000;

export function useWorkOrderDetail() {
  const { message: errorText } = useApiErrorMessage();
  const route = useRoute();

  const order = shallowRef<WorkOrderDetail | null>(null);
  const loading = ref(false);
  const errorMessage = ref<string | null>(null);
  /** 404: the order does not exist or the viewer may not see it (the server does not say which). */
  const notFound = ref(false);
  let inFlight: AbortController | null = null;
  /** The newest heard change a load was followed by a second read for (once per change: no loop on a lagging answer). */
  let caughtUpTo: { workOrderId: number; version: number } | null = null;

  async function load(id: number): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    errorMessage.value = null;
    notFound.value = false;
    let loaded: WorkOrderDetail | null = null;
    try {
      loaded = await getWorkOrder(id, controller.signal);
      order.value = loaded;
    } catch (error) {
      if (isAbort(error)) return;
      order.value = null;
      if (error instanceof ApiError && error.statusCode === 404) notFound.value = true;
      else errorMessage.value = errorText(error);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        loading.value = false;
      }
    }
    if (loaded) catchUp(loaded);
  }

  /**
   * A change of the order heard over the socket while it was being read (before this page followed it, or for an
   * order the page did not show yet): newer than what came back, so it is read again — once per change.
   */
  function catchUp(loaded: WorkOrderDetail): void {
    const latest = latestWorkOrderChange(loaded.id);
    if (!latest || latest.version <= loaded.version) return;
    if (caughtUpTo?.workOrderId === loaded.id && caughtUpTo.version >= latest.version) return;
    caughtUpTo = { workOrderId: loaded.id, version: latest.version };
    void refreshQuietly(true);
  }

  /**
   * Re-reads the shown order without a spinner; a failure keeps what is shown (the next refresh tries again).
   * `always` also when the tab is hidden (a change pushed by the server).
   */
  async function refreshQuietly(always = false): Promise<void> {
    const shown = order.value;
    if (!shown || inFlight || (!always && document.visibilityState === 'hidden')) return;
    const controller = new AbortController();
    inFlight = controller;
    try {
      const fresh = await getWorkOrder(shown.id, controller.signal);
      if (order.value?.id === fresh.id) order.value = fresh;
    } catch {
      // Shown as it was; an explicit reload reports errors.
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  function reload(): Promise<void> {
    return order.value ? load(order.value.id) : load(Number(route.params.id));
  }

  /** The order as an action answered it (or as reloaded after a 409): shown at once, no second request. */
  function replace(next: WorkOrderDetail): void {
    if (order.value && next.id !== order.value.id) return;
    order.value = next;
  }

  // Links to related orders reuse this page with another id.
  watch(
    () => (route.name === WORK_ORDER_DETAIL ? Number(route.params.id) : null),
    (id) => {
      if (id !== null && Number.isInteger(id)) void load(id);
    },
    { immediate: true },
  );

  // Someone else acted on this order (or the socket reconnected and anything may have changed): read it again.
  // A dialog left open keeps the version it was opened with, so its submit answers 409 and the host reloads.
  useWorkOrderChanges((event) => {
    const shown = order.value;
    if (!shown) return;
    if (event === null || (event.workOrderId === shown.id && event.version !== shown.version)) void refreshQuietly(true);
  });

  const refreshTimer = setInterval(() => void refreshQuietly(), DETAIL_REFRESH_MS);
  onBeforeUnmount(() => {
    clearInterval(refreshTimer);
    inFlight?.abort();
  });

  return { order, loading, errorMessage, notFound, reload, replace };
}

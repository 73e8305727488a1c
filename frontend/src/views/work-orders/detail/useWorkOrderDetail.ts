import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import type { WorkOrderDetail } from '@/api/types';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { describeError, isAbort } from '@/utils/error-message';

/** How often an open order page re-reads the order, so that deadline countdowns and levels stay current. */
export const DETAIL_REFRESH_MS = 60_000;

export function useWorkOrderDetail() {
  const { t } = useI18n();
  const route = useRoute();

  const order = shallowRef<WorkOrderDetail | null>(null);
  const loading = ref(false);
  const errorMessage = ref<string | null>(null);
  let inFlight: AbortController | null = null;

  async function load(id: number): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    errorMessage.value = null;
    try {
      order.value = await getWorkOrder(id, controller.signal);
    } catch (error) {
      if (isAbort(error)) return;
      order.value = null;
      errorMessage.value = describeError(error, t);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        loading.value = false;
      }
    }
  }

  /** Re-reads the shown order without a spinner; a failure keeps what is shown (the next refresh tries again). */
  async function refreshQuietly(): Promise<void> {
    const shown = order.value;
    if (!shown || inFlight || document.visibilityState === 'hidden') return;
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

  // Links to the parent or merged-into order reuse this page with another id.
  watch(
    () => (route.name === WORK_ORDER_DETAIL ? Number(route.params.id) : null),
    (id) => {
      if (id !== null && Number.isInteger(id)) void load(id);
    },
    { immediate: true },
  );
  const refreshTimer = setInterval(() => void refreshQuietly(), DETAIL_REFRESH_MS);
  onBeforeUnmount(() => {
    clearInterval(refreshTimer);
    inFlight?.abort();
  });

  return { order, loading, errorMessage, reload };
}

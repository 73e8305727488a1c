import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import type { WorkOrderDetail } from '@/api/types';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { describeError, isAbort } from '@/utils/error-message';

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
  onBeforeUnmount(() => inFlight?.abort());

  return { order, loading, errorMessage, reload };
}

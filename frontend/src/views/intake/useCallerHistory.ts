import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { listCallerOrders } from '@/api/intake';
import type { WorkOrder } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { isAbort } from '@/utils/error-message';

export type HistoryState = 'idle' | 'loading' | 'loaded' | 'error';

/**
 * The caller's earlier orders (newest first), reloaded whenever `phone` changes to another number; an empty phone
 * clears the list. A slower answer for an earlier number never overwrites the current one.
 */
export function useCallerHistory(phone: Ref<string>) {
  const { message } = useApiErrorMessage();
  const state = ref<HistoryState>('idle');
  const orders = shallowRef<WorkOrder[]>([]);
  const total = ref(0);
  const totalExact = ref(true);
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const number = phone.value;
    if (!number) {
      controller = null;
      state.value = 'idle';
      orders.value = [];
      total.value = 0;
      errorMessage.value = null;
      return;
    }
    const current = new AbortController();
    controller = current;
    state.value = 'loading';
    errorMessage.value = null;
    try {
      const page = await listCallerOrders(number, current.signal);
      if (controller !== current) return;
      orders.value = page.items;
      total.value = page.total;
      totalExact.value = page.totalExact;
      state.value = 'loaded';
    } catch (error) {
      if (controller !== current || isAbort(error)) return;
      orders.value = [];
      total.value = 0;
      errorMessage.value = message(error);
      state.value = 'error';
    }
  }

  watch(phone, () => void load(), { immediate: true });
  onBeforeUnmount(() => controller?.abort());

  return { state, orders, total, totalExact, errorMessage, reload: load };
}

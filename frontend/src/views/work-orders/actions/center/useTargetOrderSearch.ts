import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { WorkOrder } from '@/api/models';
import { listWorkOrders } from '@/api/work-orders';
import { targetSearchKeyword } from './bodies';

/**
 * Picking another order by number or title (merge, link, mark repeat): the list API searched as the user types, the
 * order itself left out, a search overtaken by the next one aborted (its answer never shows), and the last one
 * aborted when the form goes away.
 */
export function useTargetOrderSearch(excludeId: () => number) {
  const options = shallowRef<WorkOrder[]>([]);
  const searching = ref(false);
  let inFlight: AbortController | null = null;

  async function search(input: string): Promise<void> {
    inFlight?.abort();
    const keyword = targetSearchKeyword(input);
    if (keyword === null) {
      options.value = [];
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    searching.value = true;
    try {
      const page = await listWorkOrders({ keyword, pageSize: 10 }, controller.signal);
      options.value = page.items.filter((order) => order.id !== excludeId());
    } catch {
      if (!controller.signal.aborted) options.value = [];
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        searching.value = false;
      }
    }
  }

  onBeforeUnmount(() => inFlight?.abort());
  return { options, searching, search };
}

import { computed, onBeforeUnmount, onMounted, reactive, ref, shallowRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { WorkOrder } from '@/api/models';
import { listWorkOrders } from '@/api/work-orders';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { useOrganisationStore } from '@/store/modules/organisation';
import { useUserStore } from '@/store/modules/user';
import { isAbort } from '@/utils/error-message';
import { countQuery, queueQuery, visibleQueues, type CenterQueue, type CenterQueueKey } from './queues';

export const QUEUE_PAGE_SIZE = 20;
/** Changes often come in bursts (one action touches several orders): refresh once they settle. */
export const REFRESH_DELAY_MS = 400;

export interface QueueCount {
  count: number;
  /** More may match than counted (the server stopped counting). */
  capped: boolean;
}

/**
 * The center desk's state: the queues the user's role sees, each one's count, and the rows of the open one (its key in
 * the URL as `?tab=`), refreshed when orders change.
 */
export function useCenterQueues() {
  const route = useRoute();
  const router = useRouter();
  const user = useUserStore();
  const organisation = useOrganisationStore();
  const { message: errorText } = useApiErrorMessage();

  const role = computed(() => user.user?.role);
  const queues = computed(() => visibleQueues(role.value));
  const initial = typeof route.query.tab === 'string' ? route.query.tab : null;
  const activeKey = ref<CenterQueueKey | null>(queues.value.find((queue) => queue.key === initial)?.key ?? queues.value[0]?.key ?? null);
  const active = computed<CenterQueue | null>(() => queues.value.find((queue) => queue.key === activeKey.value) ?? null);

  const counts = reactive<Partial<Record<CenterQueueKey, QueueCount>>>({});
  const rows = shallowRef<WorkOrder[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  let inFlight: AbortController | null = null;
  let countsInFlight: AbortController | null = null;

  async function loadList(): Promise<void> {
    const queue = active.value;
    if (!queue) return;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    errorMessage.value = null;
    try {
      const result = await listWorkOrders(queueQuery(queue, page.value, QUEUE_PAGE_SIZE), controller.signal);
      rows.value = result.items;
      total.value = result.total;
      counts[queue.key] = { count: result.total, capped: !result.totalExact };
    } catch (error) {
      if (isAbort(error)) return;
      rows.value = [];
      total.value = 0;
      errorMessage.value = errorText(error);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        loading.value = false;
        if (!controller.signal.aborted) loaded.value = true;
      }
    }
  }

  /** The other tabs' counts (the open tab's comes with its rows). */
  async function loadCounts(): Promise<void> {
    countsInFlight?.abort();
    const controller = new AbortController();
    countsInFlight = controller;
    const others = queues.value.filter((queue) => queue.key !== activeKey.value);
    await Promise.all(
      others.map(async (queue) => {
        try {
          const result = await listWorkOrders(countQuery(queue), controller.signal);
          counts[queue.key] = { count: result.total, capped: !result.totalExact };
        } catch {
          // A count that cannot be read stays as it was; the tab still opens and says why.
        }
      }),
    );
    if (countsInFlight === controller) countsInFlight = null;
  }

  function refresh(): Promise<void> {
    void loadCounts();
    return loadList();
  }

  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  function refreshSoon(): void {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void refresh();
    }, REFRESH_DELAY_MS);
  }
  useWorkOrderChanges(() => refreshSoon());

  function selectQueue(key: CenterQueueKey): void {
    if (key === activeKey.value) return;
    activeKey.value = key;
    page.value = 1;
    rows.value = [];
    loaded.value = false;
    void router.replace({ query: { ...route.query, tab: key } });
    void loadList();
  }

  function changePage(next: number): void {
    page.value = next;
    void loadList();
  }

  function openOrder(order: WorkOrder): void {
    void router.push({ name: WORK_ORDER_DETAIL, params: { id: order.id } });
  }

  /** The lead unit the order's category suggests (its default), by name; null when none is set. */
  function suggestedUnitName(order: WorkOrder): string | null {
    const unitId = organisation.findCategory(order.categoryId)?.defaultLeadUnitId ?? null;
    return organisation.findUnit(unitId)?.name ?? null;
  }

  onMounted(() => {
    void Promise.all([organisation.loadCategories(), organisation.loadUnits()]).catch(() => undefined);
    void refresh();
  });
  onBeforeUnmount(() => {
    inFlight?.abort();
    countsInFlight?.abort();
    if (refreshTimer) clearTimeout(refreshTimer);
  });

  return {
    role,
    queues,
    activeKey,
    active,
    counts,
    rows,
    total,
    page,
    loading,
    loaded,
    errorMessage,
    refresh,
    refreshSoon,
    selectQueue,
    changePage,
    openOrder,
    suggestedUnitName,
  };
}

import { computed, onBeforeUnmount, reactive, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { WorkOrder } from '@/api/models';
import { listWorkOrders } from '@/api/work-orders';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { useUserStore } from '@/store/modules/user';
import { isAbort } from '@/utils/error-message';
import { tabsFor, type InboxTabKey } from './tabs';

export const INBOX_PAGE_SIZE = 20;
/** Bursts of changes (a dispatch of many orders) refresh the inbox once. */
export const INBOX_REFRESH_DEBOUNCE_MS = 800;

/** The inbox's state: the tabs with their counts, the active tab's orders (more on demand), live refresh. */
export function useInbox() {
  const user = useUserStore();
  const route = useRoute();
  const router = useRouter();
  const { message } = useApiErrorMessage();

  const unitId = computed(() => user.user?.unitId ?? null);
  const tabs = computed(() => tabsFor(user.user?.role));
  const counts = reactive<Partial<Record<InboxTabKey, number>>>({});
  const rows = shallowRef<WorkOrder[]>([]);
  const total = ref(0);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);

  const active = computed<InboxTabKey>({
    get: () => {
      const wanted = route.query.tab;
      return tabs.value.find((tab) => tab.key === wanted)?.key ?? tabs.value[0]?.key ?? 'toAccept';
    },
    set: (key) => void router.replace({ query: { ...route.query, tab: key } }),
  });

  let inFlight: AbortController | null = null;

  async function loadActive(append = false): Promise<void> {
    const tab = tabs.value.find((entry) => entry.key === active.value);
    if (!tab || unitId.value === null) return;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    errorMessage.value = null;
    try {
      const page = await listWorkOrders(
        { ...tab.query(unitId.value), pageSize: INBOX_PAGE_SIZE, ...(append && nextCursor.value ? { cursor: nextCursor.value } : {}) },
        controller.signal,
      );
      rows.value = append ? [...rows.value, ...page.items] : page.items;
      total.value = page.total;
      counts[tab.key] = page.total;
      nextCursor.value = page.hasMore ? page.nextCursor : null;
      loaded.value = true;
    } catch (error) {
      if (isAbort(error)) return;
      errorMessage.value = message(error);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        loading.value = false;
      }
    }
  }

  /** The other tabs' counts (one order each: the answer's `total`); a failed count stays as it was. */
  async function loadCounts(): Promise<void> {
    const id = unitId.value;
    if (id === null) return;
    await Promise.all(
      tabs.value
        .filter((tab) => tab.key !== active.value)
        .map(async (tab) => {
          try {
            counts[tab.key] = (await listWorkOrders({ ...tab.query(id), pageSize: 1 })).total;
          } catch {
            // Keep the last count.
          }
        }),
    );
  }

  function refresh(): void {
    void loadActive();
    void loadCounts();
  }

  watch(active, () => {
    rows.value = [];
    loaded.value = false;
    nextCursor.value = null;
    void loadActive();
  });
  watch(unitId, refresh, { immediate: true });

  let timer: ReturnType<typeof setTimeout> | null = null;
  useWorkOrderChanges(() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      refresh();
    }, INBOX_REFRESH_DEBOUNCE_MS);
  });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    inFlight?.abort();
  });

  return {
    unitId,
    tabs,
    counts,
    active,
    rows,
    total,
    loading,
    loaded,
    errorMessage,
    hasMore: computed(() => nextCursor.value !== null),
    loadMore: () => loadActive(true),
    refresh,
  };
}

import { onBeforeUnmount, onMounted, reactive, ref, shallowRef } from 'vue';
import type { ShirkingQuery, ShirkingRule } from '@/api/models';
import { listShirking, listShirkingUnits, type ShirkingQueueItem, type ShirkingUnit } from '@/api/shirking';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { isAbort } from '@/utils/error-message';
import { centerDayRange } from '@/views/hotspots/query';

export const SHIRKING_PAGE_SIZE = 20;
/** Order changes come in bursts: the queue reloads once, this long after the last. */
export const SHIRKING_REFRESH_DELAY_MS = 800;

export interface ShirkingFilters {
  unitId: number | null;
  rule: ShirkingRule | null;
  range: [string, string] | null;
  disputed: boolean;
  open: boolean;
}

export function emptyShirkingFilters(): ShirkingFilters {
  return { unitId: null, rule: null, range: null, disputed: false, open: true };
}

/** The filters as the API takes them (unset ones left out; the switches only when on). */
export function shirkingQuery(filters: ShirkingFilters): Omit<ShirkingQuery, 'page' | 'pageSize'> {
  return {
    ...(filters.unitId !== null ? { unitId: filters.unitId } : {}),
    ...(filters.rule ? { rule: filters.rule } : {}),
    ...centerDayRange(filters.range),
    ...(filters.disputed ? { disputed: true } : {}),
    ...(filters.open ? { open: true } : {}),
  };
}

/**
 * 推诿扯皮: the supervisors' queue (paged) and the counts per unit for the same filters; reloaded quietly when an
 * order changes (a return, a ruling). Only the latest answers show.
 */
export function useShirking() {
  const { message } = useApiErrorMessage();
  const filters = reactive<ShirkingFilters>(emptyShirkingFilters());
  const page = ref(1);
  const items = shallowRef<ShirkingQueueItem[]>([]);
  const total = ref(0);
  const units = shallowRef<ShirkingUnit[]>([]);
  /** The period the unit figures cover (the server's default when none is chosen). */
  const unitsPeriod = ref<{ from: string; to: string } | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  async function load(quiet = false): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if (!quiet) loading.value = true;
    const query = shirkingQuery(filters);
    try {
      const [queue, counts] = await Promise.all([
        listShirking({ ...query, page: page.value, pageSize: SHIRKING_PAGE_SIZE }, current.signal),
        listShirkingUnits(centerDayRange(filters.range), current.signal),
      ]);
      if (controller !== current) return;
      items.value = queue.items;
      total.value = queue.total;
      units.value = counts.units;
      unitsPeriod.value = { from: counts.from, to: counts.to };
      errorMessage.value = null;
      loaded.value = true;
    } catch (error) {
      if (controller !== current || isAbort(error)) return;
      errorMessage.value = message(error);
    } finally {
      if (controller === current) {
        controller = null;
        loading.value = false;
      }
    }
  }

  function search(): Promise<void> {
    page.value = 1;
    return load();
  }

  function reset(): Promise<void> {
    Object.assign(filters, emptyShirkingFilters());
    return search();
  }

  function setPage(next: number): Promise<void> {
    page.value = next;
    return load();
  }

  /** Drill-down from the unit table: the queue of that unit. */
  function showUnit(unitId: number): Promise<void> {
    filters.unitId = unitId;
    return search();
  }

  useWorkOrderChanges(() => {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void load(true);
    }, SHIRKING_REFRESH_DELAY_MS);
  });

  onMounted(() => void load());
  onBeforeUnmount(() => {
    controller?.abort();
    if (refreshTimer !== null) clearTimeout(refreshTimer);
  });

  return { filters, page, pageSize: SHIRKING_PAGE_SIZE, items, total, units, unitsPeriod, loading, loaded, errorMessage, load, search, reset, setPage, showUnit };
}

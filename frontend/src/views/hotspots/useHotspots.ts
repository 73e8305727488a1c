import { computed, onBeforeUnmount, onMounted, reactive, ref, shallowRef } from 'vue';
import { listHotspots, type Hotspot } from '@/api/hotspots';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useOrganisationStore } from '@/store/modules/organisation';
import { isAbort } from '@/utils/error-message';
import { categoryOptions, placesOf, streetsOf } from '@/views/intake/options';
import { emptyHotspotFilters, HOTSPOT_PAGE_SIZE, hotspotQuery, type HotspotFilters } from './query';
import { useHotspotChanges } from './useHotspotChanges';

/** Pushed changes come in bursts (several registrations at once): the list reloads once, this long after the last. */
export const HOTSPOT_REFRESH_DELAY_MS = 800;

/**
 * 热点 (多人反映): the hotspots ranked by size and growth (the server's order), filtered by place, category, period and
 * whether still active; reloaded quietly when one forms or grows. Only the latest request's answer shows.
 */
export function useHotspots() {
  const { message } = useApiErrorMessage();
  const organisation = useOrganisationStore();

  const filters = reactive<HotspotFilters>(emptyHotspotFilters());
  const page = ref(1);
  const items = shallowRef<Hotspot[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  /** Hotspots that formed or grew since the page was opened (highlighted until the next filter change). */
  const changedIds = ref<ReadonlySet<number>>(new Set());
  let controller: AbortController | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  const places = computed(() => placesOf(organisation.units ?? []));
  const streets = computed(() => streetsOf(places.value, filters.districtUnitId));
  const categories = computed(() => categoryOptions(organisation.categories ?? []));

  async function load(quiet = false): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    if (!quiet) loading.value = true;
    try {
      const answer = await listHotspots(hotspotQuery(filters, page.value), current.signal);
      if (controller !== current) return;
      items.value = answer.items;
      total.value = answer.total;
      errorMessage.value = null;
      loaded.value = true;
    } catch (error) {
      if (controller !== current || isAbort(error)) return;
      if (!quiet) {
        items.value = [];
        total.value = 0;
      }
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
    changedIds.value = new Set();
    return load();
  }

  function reset(): Promise<void> {
    Object.assign(filters, emptyHotspotFilters());
    return search();
  }

  function setPage(next: number): Promise<void> {
    page.value = next;
    return load();
  }

  function onDistrictChange(): void {
    const street = places.value.streets.find((s) => s.id === filters.streetUnitId);
    if (street && street.districtId !== filters.districtUnitId) filters.streetUnitId = null;
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void load(true);
    }, HOTSPOT_REFRESH_DELAY_MS);
  }

  useHotspotChanges((event) => {
    if (event) changedIds.value = new Set([...changedIds.value, event.hotspotId]);
    scheduleRefresh();
  });

  onMounted(() => {
    void Promise.all([organisation.loadUnits(), organisation.loadCategories()]).catch(() => undefined);
    void load();
  });
  onBeforeUnmount(() => {
    controller?.abort();
    if (refreshTimer !== null) clearTimeout(refreshTimer);
  });

  return {
    filters,
    page,
    pageSize: HOTSPOT_PAGE_SIZE,
    items,
    total,
    loading,
    loaded,
    errorMessage,
    changedIds,
    places,
    streets,
    categories,
    load,
    search,
    reset,
    setPage,
    onDistrictChange,
  };
}

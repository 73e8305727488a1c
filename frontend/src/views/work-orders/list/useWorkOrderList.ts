import { computed, onBeforeUnmount, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  isNavigationFailure,
  NavigationFailureType,
  onBeforeRouteUpdate,
  useRoute,
  useRouter,
  type LocationQuery,
} from 'vue-router';
import type { Sort } from 'element-plus';
import type { WorkOrder } from '@/api/types';
import { WORK_ORDER_LIST_MAX_OFFSET, WORK_ORDER_SORT_FIELDS } from '@/api/types';
import { listWorkOrders } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { describeError, isAbort } from '@/utils/error-message';
import {
  cloneFilters,
  emptyFilters,
  parseListQuery,
  toApiQuery,
  toLocationQuery,
  type WorkOrderListState,
} from './query';

/** el-table's sort-change payload. */
interface TableSort {
  prop: string | null;
  order: 'ascending' | 'descending' | null;
}

export function useWorkOrderList() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();

  const state = ref<WorkOrderListState>(parseListQuery(route.query));
  /** The form being edited; applied on search. */
  const filters = reactive(cloneFilters(state.value.filters));
  const rows = shallowRef<WorkOrder[]>([]);
  const total = ref(0);
  /** False when the server stopped counting ("10,000+"). */
  const totalExact = ref(true);
  /** What the pager may offer: numbered pages reach the first WORK_ORDER_LIST_MAX_OFFSET orders (deeper: narrow the filters). */
  const pageableTotal = computed(() => Math.min(total.value, WORK_ORDER_LIST_MAX_OFFSET + state.value.pageSize));
  const loading = ref(false);
  /** True once a list answer (rows or an error) has been shown: the empty text before it means nothing yet. */
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  let inFlight: AbortController | null = null;

  async function load(): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    loading.value = true;
    errorMessage.value = null;
    try {
      const page = await listWorkOrders(toApiQuery(state.value), controller.signal);
      rows.value = page.items;
      total.value = page.total;
      totalExact.value = page.totalExact ?? true;
    } catch (error) {
      if (isAbort(error)) return;
      rows.value = [];
      total.value = 0;
      errorMessage.value = describeError(error, t);
    } finally {
      if (inFlight === controller) {
        inFlight = null;
        loading.value = false;
        if (!controller.signal.aborted) loaded.value = true;
      }
    }
  }

  function applyQuery(query: LocationQuery): Promise<void> {
    state.value = parseListQuery(query);
    Object.assign(filters, cloneFilters(state.value.filters));
    return load();
  }

  /** Puts a state in the URL; the route update loads it. The same URL again just reloads. */
  async function navigate(next: WorkOrderListState): Promise<void> {
    const result = await router.push({ query: toLocationQuery(next) });
    if (isNavigationFailure(result, NavigationFailureType.duplicated)) await load();
  }

  function search() {
    return navigate({ ...state.value, filters: cloneFilters(filters), page: 1 });
  }

  function reset() {
    return navigate({ ...state.value, filters: emptyFilters(), page: 1 });
  }

  function changePage(page: number) {
    return navigate({ ...state.value, page });
  }

  function changePageSize(pageSize: number) {
    return navigate({ ...state.value, pageSize, page: 1 });
  }

  function changeSort({ prop, order }: TableSort) {
    const sortBy = WORK_ORDER_SORT_FIELDS.find((field) => field === prop);
    const sort: WorkOrderListState['sort'] =
      sortBy && order ? { sortBy, sortOrder: order === 'ascending' ? 'ASC' : 'DESC' } : null;
    return navigate({ ...state.value, sort, page: 1 });
  }

  function openDetail(row: WorkOrder) {
    return router.push({ name: WORK_ORDER_DETAIL, params: { id: row.id } });
  }

  /** el-table's `default-sort`, so the header arrow matches the URL. */
  const defaultSort = computed<Sort | undefined>(() => {
    const sort = state.value.sort;
    return sort ? { prop: sort.sortBy, order: sort.sortOrder === 'ASC' ? 'ascending' : 'descending' } : undefined;
  });

  onBeforeRouteUpdate((to) => {
    void applyQuery(to.query);
  });
  onBeforeUnmount(() => inFlight?.abort());
  void load();

  return {
    state,
    filters,
    rows,
    total,
    totalExact,
    pageableTotal,
    loading,
    loaded,
    errorMessage,
    defaultSort,
    load,
    search,
    reset,
    changePage,
    changePageSize,
    changeSort,
    openDetail,
  };
}

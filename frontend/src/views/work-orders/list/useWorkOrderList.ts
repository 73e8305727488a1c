import { computed, onBeforeUnmount, reactive, ref, shallowRef } from 'vue';
import {
  isNavigationFailure,
  NavigationFailureType,
  onBeforeRouteUpdate,
  useRoute,
  useRouter,
  type LocationQuery,
} from 'vue-router';
import type { Sort } from 'element-plus';
import type { WorkOrder } from '@/api/models';
import { WORK_ORDER_LIST_MAX_OFFSET, WORK_ORDER_SORT_FIELDS } from '@/api/models';
import { listWorkOrders } from '@/api/work-orders';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { isAbort } from '@/utils/error-message';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import {
  cloneFilters,
  emptyFilters,
  parseListQuery,
  toApiQuery,
  toLocationQuery,
  type WorkOrderListState,
  type WorkOrderSort,
} from './query';

/** el-table's sort-change payload. */
interface TableSort {
  prop: string | null;
  order: 'ascending' | 'descending' | null;
}

/** Changes arrive in bursts (an action touches the order, its parent, a notification): one reload after the burst. */
export const LIVE_REFRESH_DELAY_MS = 1000;

export function useWorkOrderList() {
  const { message: errorText } = useApiErrorMessage();
  const route = useRoute();
  const router = useRouter();

  const state = ref<WorkOrderListState>(parseListQuery(route.query));
  /** The form being edited; applied on search. */
  const filters = reactive(cloneFilters(state.value.filters));
  const rows = shallowRef<WorkOrder[]>([]);
  const total = ref(0);
  /** False when the server stopped counting ("10,000+"). */
  const totalExact = ref(true);
  const hasMore = ref(false);
  const nextCursor = ref<string | null>(null);
  /** What the pager may offer: numbered pages reach the first WORK_ORDER_LIST_MAX_OFFSET orders (deeper: narrow the filters). */
  const pageableTotal = computed(() => Math.min(total.value, WORK_ORDER_LIST_MAX_OFFSET + state.value.pageSize));
  /** Beyond the last numbered page the list goes on page by page with the server's cursor. */
  const beyondNumberedPages = computed(() => state.value.cursor !== null);
  const canContinue = computed(
    () =>
      hasMore.value &&
      nextCursor.value !== null &&
      (beyondNumberedPages.value || state.value.page * state.value.pageSize > WORK_ORDER_LIST_MAX_OFFSET),
  );
  const loading = ref(false);
  /** True once a list answer (rows or an error) has been shown: the empty text before it means nothing yet. */
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  let inFlight: AbortController | null = null;

  /**
   * Asks for the page the state describes. A `quiet` reload (someone else changed an order) keeps the rows on screen
   * until the new ones arrive and shows no spinner, so the page and the scroll position stay where the user was.
   */
  async function load(options: { quiet?: boolean } = {}): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    if (!options.quiet) loading.value = true;
    try {
      const page = await listWorkOrders(toApiQuery(state.value), controller.signal);
      rows.value = page.items;
      total.value = page.total;
      totalExact.value = page.totalExact ?? true;
      hasMore.value = page.hasMore;
      nextCursor.value = page.nextCursor;
      errorMessage.value = null;
    } catch (error) {
      if (isAbort(error)) return;
      if (options.quiet && rows.value.length) return; // keep what is shown; the next change or a refresh tries again
      rows.value = [];
      total.value = 0;
      hasMore.value = false;
      nextCursor.value = null;
      errorMessage.value = errorText(error);
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
    return navigate({ ...state.value, filters: cloneFilters(filters), page: 1, cursor: null });
  }

  function reset() {
    return navigate({ ...state.value, filters: emptyFilters(), page: 1, cursor: null });
  }

  function changePage(page: number) {
    return navigate({ ...state.value, page, cursor: null });
  }

  function changePageSize(pageSize: number) {
    return navigate({ ...state.value, pageSize, page: 1, cursor: null });
  }

  function setSort(sort: WorkOrderSort | null) {
    return navigate({ ...state.value, sort, page: 1, cursor: null });
  }

  /** The table's header sort: the server orders (orders without a deadline last either way); the table never re-sorts. */
  function changeSort({ prop, order }: TableSort) {
    const sortBy = WORK_ORDER_SORT_FIELDS.find((field) => field === prop);
    const sort: WorkOrderSort | null = sortBy && order ? { sortBy, sortOrder: order === 'ascending' ? 'ASC' : 'DESC' } : null;
    // The table announces the sort the URL gave it too (see the list's header arrows): that is no new choice.
    const current = state.value.sort;
    if (current?.sortBy === sort?.sortBy && current?.sortOrder === sort?.sortOrder) return Promise.resolve();
    return setSort(sort);
  }

  /** The next page after the last numbered one, by the cursor the server gave. */
  function continueList() {
    if (!nextCursor.value) return Promise.resolve();
    return navigate({ ...state.value, cursor: nextCursor.value });
  }

  /** Back to the numbered pages from beyond them. */
  function backToFirstPage() {
    return navigate({ ...state.value, page: 1, cursor: null });
  }

  function openDetail(row: WorkOrder) {
    return router.push({ name: WORK_ORDER_DETAIL, params: { id: row.id } });
  }

  /** el-table's `default-sort`, so the header arrow matches the URL. */
  const defaultSort = computed<Sort | undefined>(() => {
    const sort = state.value.sort;
    return sort ? { prop: sort.sortBy, order: sort.sortOrder === 'ASC' ? 'ascending' : 'descending' } : undefined;
  });

  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  useWorkOrderChanges(() => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void load({ quiet: true });
    }, LIVE_REFRESH_DELAY_MS);
  });

  onBeforeRouteUpdate((to) => {
    void applyQuery(to.query);
  });
  onBeforeUnmount(() => {
    inFlight?.abort();
    if (refreshTimer) clearTimeout(refreshTimer);
  });
  void load();

  return {
    state,
    filters,
    rows,
    total,
    totalExact,
    pageableTotal,
    beyondNumberedPages,
    canContinue,
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
    setSort,
    continueList,
    backToFirstPage,
    openDetail,
  };
}

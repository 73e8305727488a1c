import { computed, onBeforeUnmount, reactive, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { listCalls, type CallListItem } from '@/api/calls';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { CALLS } from '@/router/modules/calls';
import { isAbort } from '@/utils/error-message';
import { emptyFilters, lastReachablePage, parseListQuery, toApiQuery, toRouteQuery, type CallFilters, type CallListState } from '../query';
import { useAgentOptions } from '../useAgentOptions';

type LoadState = 'loading' | 'loaded' | 'error';

/**
 * 通话记录: the list state lives in the address (filters, page, page size); the form edits a copy that 查询 puts
 * there, and every change of the address loads the page it names (the previous request is cancelled).
 */
export function useCallList() {
  const route = useRoute();
  const router = useRouter();
  const { message } = useApiErrorMessage();

  const state = computed<CallListState>(() => parseListQuery(route.query));
  const filters = reactive<CallFilters>(emptyFilters());
  const rows = shallowRef<CallListItem[]>([]);
  const total = ref(0);
  const loadState = ref<LoadState>('loading');
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  const agents = useAgentOptions();
  const agentOptions = computed(() => agents.optionsWith(filters.agentId));

  async function load(): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    loadState.value = 'loading';
    try {
      const page = await listCalls(toApiQuery(state.value), own.signal);
      rows.value = page.items;
      total.value = page.total;
      agents.remember(page.items);
      errorMessage.value = null;
      loadState.value = 'loaded';
    } catch (error) {
      if (isAbort(error)) return;
      errorMessage.value = message(error);
      loadState.value = 'error';
    } finally {
      if (controller === own) controller = null;
    }
  }

  function go(next: CallListState): void {
    void router.push({ query: toRouteQuery(next) });
  }

  /** 查询: the form's filters from the first page. */
  function search(): void {
    go({ ...state.value, filters: { ...filters, phone: filters.phone.trim() }, page: 1 });
  }

  function reset(): void {
    Object.assign(filters, emptyFilters());
    go({ filters: emptyFilters(), page: 1, pageSize: state.value.pageSize });
  }

  function changePage(page: number): void {
    go({ ...state.value, page });
  }

  function changePageSize(pageSize: number): void {
    go({ ...state.value, pageSize, page: 1 });
  }

  watch(
    () => route.query,
    () => {
      // Leaving for a call's page changes the route before this page unmounts: nothing to load then.
      if (route.name !== CALLS) return;
      Object.assign(filters, { ...state.value.filters, dates: state.value.filters.dates ? [...state.value.filters.dates] : null });
      void load();
    },
    { immediate: true },
  );
  void agents.load();
  onBeforeUnmount(() => controller?.abort());

  /** What the pager may reach: the API refuses (page − 1) × pageSize beyond 10,000. */
  const pageableTotal = computed(() => Math.min(total.value, lastReachablePage(state.value.pageSize) * state.value.pageSize));

  return { state, filters, rows, total, pageableTotal, loadState, errorMessage, agentOptions, load, search, reset, changePage, changePageSize };
}

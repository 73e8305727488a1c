import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { type KnowledgeArticleSummary, type KnowledgeQuery, listKnowledge } from '@/api/knowledge';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { isAbort } from '@/utils/error-message';

/** How long typing must pause before the panel searches. */
export const SEARCH_DEBOUNCE_MS = 300;
export const PANEL_PAGE_SIZE = 10;

export interface KnowledgeSearchCriteria {
  q: string;
  categoryId: number | null;
}

/**
 * The panel's search: re-runs (debounced) whenever the criteria change, cancels the call still on its way, and
 * never lets an older answer overwrite a newer one; "load more" appends the next page of the same criteria.
 * Without words it lists the newest published articles (of the category, when one is given).
 */
export function useKnowledgeSearch(criteria: () => KnowledgeSearchCriteria, pageSize = PANEL_PAGE_SIZE) {
  const { message } = useApiErrorMessage();
  const items = shallowRef<KnowledgeArticleSummary[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  /** The words of the results shown (what the highlight marks). */
  const shownQuery = ref('');
  let timer: ReturnType<typeof setTimeout> | null = null;
  let controller: AbortController | null = null;
  let applied: KnowledgeSearchCriteria = { q: '', categoryId: null };

  function queryOf(c: KnowledgeSearchCriteria, pageNumber: number): KnowledgeQuery {
    const query: KnowledgeQuery = { page: pageNumber, pageSize };
    const q = c.q.trim();
    if (q) query.q = q;
    if (c.categoryId !== null) query.categoryId = c.categoryId;
    return query;
  }

  async function fetch(pageNumber: number): Promise<void> {
    controller?.abort();
    const own = (controller = new AbortController());
    loading.value = true;
    errorMessage.value = null;
    try {
      const result = await listKnowledge(queryOf(applied, pageNumber), own.signal);
      if (own !== controller) return;
      items.value = pageNumber === 1 ? result.items : [...items.value, ...result.items];
      total.value = result.total;
      page.value = pageNumber;
      shownQuery.value = applied.q.trim();
    } catch (error) {
      if (isAbort(error) || own !== controller) return;
      errorMessage.value = message(error);
    } finally {
      if (own === controller) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  /** Searches now with the current criteria (Enter in the box), dropping a pending debounced search. */
  function searchNow(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    applied = { ...criteria() };
    return fetch(1);
  }

  function loadMore(): Promise<void> {
    return items.value.length < total.value ? fetch(page.value + 1) : Promise.resolve();
  }

  watch(
    () => ({ ...criteria() }),
    (next, previous) => {
      if (timer) clearTimeout(timer);
      // A new category searches at once; typing waits for a pause.
      const immediate = !previous || next.categoryId !== previous.categoryId;
      if (immediate) void searchNow();
      else timer = setTimeout(() => void searchNow(), SEARCH_DEBOUNCE_MS);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    controller?.abort();
  });

  return { items, total, loading, loaded, errorMessage, shownQuery, searchNow, loadMore };
}

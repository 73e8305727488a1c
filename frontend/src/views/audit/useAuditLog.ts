import { reactive, ref, shallowRef } from 'vue';
import { type AuditEvent, type AuditFilterForm, listAuditEvents, toAuditQuery } from '@/api/audit';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';

/** The audit log page: the filter form, the rows loaded so far, and "load more" by the server's cursor. */
export function useAuditLog() {
  const { message: errorText } = useApiErrorMessage();

  const filters = reactive<AuditFilterForm>({ range: null, actor: '', action: '', targetType: '', targetId: '' });
  const rows = shallowRef<AuditEvent[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  /** The filters of the rows shown: "load more" keeps paging them even after the form is edited. */
  let applied: AuditFilterForm = { ...filters };

  async function fetchPage(more: boolean): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      const page = await listAuditEvents(toAuditQuery(applied, more ? nextCursor.value : null));
      rows.value = more ? [...rows.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } catch (error) {
      errorMessage.value = errorText(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function search(): Promise<void> {
    applied = { ...filters, range: filters.range ? [filters.range[0], filters.range[1]] : null };
    return fetchPage(false);
  }

  function reset(): Promise<void> {
    Object.assign(filters, { range: null, actor: '', action: '', targetType: '', targetId: '' });
    return search();
  }

  function loadMore(): Promise<void> {
    return nextCursor.value ? fetchPage(true) : Promise.resolve();
  }

  void search();

  return { filters, rows, nextCursor, loading, loaded, errorMessage, search, reset, loadMore };
}

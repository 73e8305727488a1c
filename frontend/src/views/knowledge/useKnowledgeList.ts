import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  archiveKnowledgeArticle,
  KNOWLEDGE_EDITOR_ROLES,
  type KnowledgeArticleSummary,
  type KnowledgeQuery,
  type KnowledgeStatus,
  listKnowledge,
  updateKnowledgeArticle,
} from '@/api/knowledge';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useUserStore } from '@/store/modules/user';

export interface KnowledgeFilterForm {
  q: string;
  categoryId: number | null;
  /** '' = the default: drafts and published for editors, published for everyone else. */
  status: KnowledgeStatus | '';
}

export const LIST_PAGE_SIZE = 20;

export function toKnowledgeQuery(filters: KnowledgeFilterForm, page: number, pageSize = LIST_PAGE_SIZE): KnowledgeQuery {
  const query: KnowledgeQuery = { page, pageSize };
  const q = filters.q.trim();
  if (q) query.q = q;
  if (filters.categoryId !== null) query.categoryId = filters.categoryId;
  if (filters.status) query.status = filters.status;
  return query;
}

/** The management page: filters, one page of articles, and the editors' archive and restore (with 409 handling). */
export function useKnowledgeList() {
  const { t } = useI18n();
  const { message, isConflict } = useApiErrorMessage();
  const user = useUserStore();
  const isEditor = computed(() => !!user.user && KNOWLEDGE_EDITOR_ROLES.includes(user.user.role));

  const filters = reactive<KnowledgeFilterForm>({ q: '', categoryId: null, status: '' });
  const items = shallowRef<KnowledgeArticleSummary[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  /** The filters of the rows shown (paging keeps them even after the form is edited). */
  let applied: KnowledgeFilterForm = { ...filters };
  let sequence = 0;

  async function fetchPage(pageNumber: number): Promise<void> {
    const own = ++sequence;
    loading.value = true;
    errorMessage.value = null;
    try {
      const result = await listKnowledge(toKnowledgeQuery(applied, pageNumber));
      if (own !== sequence) return;
      items.value = result.items;
      total.value = result.total;
      page.value = pageNumber;
    } catch (error) {
      if (own === sequence) errorMessage.value = message(error);
    } finally {
      if (own === sequence) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  function search(): Promise<void> {
    applied = { ...filters };
    return fetchPage(1);
  }

  function reset(): Promise<void> {
    Object.assign(filters, { q: '', categoryId: null, status: '' });
    return search();
  }

  const reload = () => fetchPage(page.value);
  const changePage = (pageNumber: number) => fetchPage(pageNumber);

  async function archive(article: KnowledgeArticleSummary): Promise<void> {
    const confirmed = await ElMessageBox.confirm(t('knowledge.confirm.archive', { title: article.title }), t('knowledge.confirm.archiveTitle'), {
      type: 'warning',
      confirmButtonText: t('knowledge.confirm.ok'),
      cancelButtonText: t('common.cancel'),
    })
      .then(() => true)
      .catch(() => false);
    if (!confirmed) return;
    try {
      await archiveKnowledgeArticle(article.id);
      ElMessage.success(t('knowledge.message.archived'));
    } catch (error) {
      ElMessage.error(isConflict(error) ? t('knowledge.message.conflict') : message(error));
    }
    await reload();
  }

  async function restore(article: KnowledgeArticleSummary): Promise<void> {
    try {
      await updateKnowledgeArticle(article.id, { version: article.version, status: 'published' });
      ElMessage.success(t('knowledge.message.restored'));
    } catch (error) {
      ElMessage.error(isConflict(error) ? t('knowledge.message.conflict') : message(error));
    }
    await reload();
  }

  void search();

  return { isEditor, filters, items, total, page, loading, loaded, errorMessage, search, reset, reload, changePage, archive, restore };
}

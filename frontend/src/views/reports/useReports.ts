import { ElMessage } from 'element-plus';
import { computed, onBeforeUnmount, ref, shallowReactive, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { saveBlob } from '@/api/attachments';
import { UNIT_ROLES, type Role } from '@/api/models';
import {
  downloadBulletin,
  downloadPeriodBulletin,
  exportReport,
  generateBulletin,
  getReport,
  listBulletins,
  type BulletinView,
  type DownloadedFile,
  type ReportByName,
  type ReportName,
} from '@/api/reports';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useUserStore } from '@/store/modules/user';
import { centerDate } from '@/utils/date';
import { isAbort } from '@/utils/error-message';
import { defaultChoice, periodOf, previousMonth, queryKey, type PeriodChoice } from './period';
import type { ReportTab } from './types';

/** Who may generate a bulletin by hand (the server checks it again). */
export const BULLETIN_ROLES: readonly Role[] = ['supervisor', 'admin'];
/** While a bulletin is being generated, the list is read again this often. */
export const BULLETIN_POLL_MS = 2000;
/** …at most this many times (a bulletin takes seconds; a stuck one stays "generating" on the list). */
const BULLETIN_POLL_LIMIT = 60;

type LoadState = 'idle' | 'loading' | 'loaded' | 'error';

const isReport = (tab: ReportTab): tab is ReportName => tab !== 'bulletins';

/**
 * The reports page's state: the period and unit chosen, the active tab's report (loaded when the tab, the period or
 * the unit changes, and kept while they do not), the bulletin list, and the exports.
 */
export function useReports() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  const userStore = useUserStore();
  const today = centerDate();

  const role = computed(() => userStore.user?.role);
  const isUnitStaff = computed(() => role.value !== undefined && UNIT_ROLES.includes(role.value));

  const choice = ref<PeriodChoice>(defaultChoice(today));
  /** The unit whose subtree the reports cover; null = the caller's whole scope (the center, or a unit's own subtree). */
  const unitId = ref<number | null>(null);
  const tab = ref<ReportTab>('assessment');

  const periodResult = computed(() => periodOf(choice.value));
  const period = computed(() => (periodResult.value.ok ? periodResult.value.period : null));
  const periodProblem = computed(() => (periodResult.value.ok ? null : t(`reports.period.problem.${periodResult.value.problem}`)));
  const key = computed(() => (period.value ? queryKey(period.value, unitId.value) : null));

  const reports = shallowReactive<{ [N in ReportName]?: ReportByName[N] }>({});
  const loadedKeys: Partial<Record<ReportName, string>> = {};
  const state = ref<LoadState>('idle');
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  async function load(name: ReportName, force = false): Promise<void> {
    const current = period.value;
    const wanted = key.value;
    if (!current || wanted === null) return;
    if (!force && loadedKeys[name] === wanted && reports[name]) {
      state.value = 'loaded';
      return;
    }
    controller?.abort();
    const own = new AbortController();
    controller = own;
    state.value = 'loading';
    try {
      const report = await getReport(name, { ...current, unitId: unitId.value }, own.signal);
      (reports as Record<ReportName, unknown>)[name] = report;
      loadedKeys[name] = wanted;
      errorMessage.value = null;
      state.value = 'loaded';
    } catch (error) {
      if (isAbort(error)) return;
      errorMessage.value = message(error);
      state.value = 'error';
    } finally {
      if (controller === own) controller = null;
    }
  }

  // ---- 月通报 ----
  const bulletins = shallowRef<BulletinView[]>([]);
  const bulletinsState = ref<LoadState>('idle');
  const bulletinMonth = ref(previousMonth(today));
  const generating = ref(false);
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let polls = 0;

  function stopPolling(): void {
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = null;
  }

  async function loadBulletins(): Promise<void> {
    stopPolling();
    if (bulletinsState.value !== 'loaded') bulletinsState.value = 'loading';
    try {
      bulletins.value = await listBulletins();
      bulletinsState.value = 'loaded';
      errorMessage.value = null;
    } catch (error) {
      errorMessage.value = message(error);
      bulletinsState.value = 'error';
      return;
    }
    if (bulletins.value.some((bulletin) => bulletin.status === 'generating') && polls < BULLETIN_POLL_LIMIT) {
      polls += 1;
      pollTimer = setTimeout(() => void loadBulletins(), BULLETIN_POLL_MS);
    }
  }

  async function generate(): Promise<void> {
    if (!bulletinMonth.value) return;
    generating.value = true;
    try {
      const bulletin = await generateBulletin(bulletinMonth.value);
      ElMessage.success(t('reports.bulletins.generated', { month: bulletin.month }));
      polls = 0;
      await loadBulletins();
    } catch (error) {
      ElMessage.error(message(error));
    } finally {
      generating.value = false;
    }
  }

  // ---- Downloads ----
  const downloading = ref<'excel' | 'pdf' | number | null>(null);

  async function save(what: 'excel' | 'pdf' | number, fetchFile: () => Promise<DownloadedFile>): Promise<void> {
    downloading.value = what;
    try {
      const file = await fetchFile();
      saveBlob(file.blob, file.fileName);
      ElMessage.success(t('reports.export.saved', { name: file.fileName }));
    } catch (error) {
      ElMessage.error(message(error));
    } finally {
      downloading.value = null;
    }
  }

  /** 导出 Excel: the active tab's report for the chosen period and unit. */
  function exportExcel(): Promise<void> {
    const current = period.value;
    const name = tab.value;
    if (!current || !isReport(name)) return Promise.resolve();
    return save('excel', () => exportReport(name, { ...current, unitId: unitId.value }));
  }

  /** 下载通报 PDF: the bulletin of the chosen period, rendered now. */
  function downloadPdf(): Promise<void> {
    const current = period.value;
    if (!current) return Promise.resolve();
    return save('pdf', () => downloadPeriodBulletin({ ...current, unitId: unitId.value }));
  }

  function downloadStored(bulletin: BulletinView): Promise<void> {
    return save(bulletin.id, () => downloadBulletin(bulletin));
  }

  watch(
    [key, tab],
    ([, active]) => {
      if (active === 'bulletins') void loadBulletins();
      else void load(active);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    controller?.abort();
    stopPolling();
  });

  /** What the page's `data-state` says: the active tab's loading state (the browser tests wait on it). */
  const pageState = computed<LoadState>(() => (tab.value === 'bulletins' ? bulletinsState.value : period.value ? state.value : 'idle'));

  return {
    today,
    role,
    isUnitStaff,
    choice,
    unitId,
    tab,
    period,
    periodProblem,
    reports,
    pageState,
    errorMessage,
    reload: () => (tab.value === 'bulletins' ? loadBulletins() : isReport(tab.value) ? load(tab.value, true) : Promise.resolve()),
    bulletins,
    bulletinMonth,
    generating,
    generate,
    downloading,
    exportExcel,
    downloadPdf,
    downloadStored,
  };
}

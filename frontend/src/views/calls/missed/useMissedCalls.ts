import { ElMessage } from 'element-plus';
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ApiError } from '@/api/api-error';
import { getCall, listMissedCalls, markCalledBack, type CallListItem } from '@/api/calls';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useUserStore } from '@/store/modules/user';
import { useIncomingCall } from '@/views/intake/useIncomingCall';
import { isAbort } from '@/utils/error-message';
import { formatCallTime } from '../format';

type LoadState = 'loading' | 'loaded' | 'error';

export const MISSED_PAGE_SIZE = 20;
/** The intake page's route name (router/modules/intake.ts). */
const INTAKE = 'intake';

/**
 * 未接来电: the call-back list. "已回拨" takes a call off it (409 when someone did already: who and when); "登记工单"
 * puts the caller's number on the intake desk (as a call offered by hand) and opens the intake page.
 */
export function useMissedCalls() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  const router = useRouter();
  const userStore = useUserStore();
  const { offer } = useIncomingCall();

  const rows = shallowRef<CallListItem[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loadState = ref<LoadState>('loading');
  const errorMessage = ref<string | null>(null);
  /** The calls being marked now. */
  const marking = ref(new Set<number>());
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    loadState.value = 'loading';
    try {
      const answer = await listMissedCalls({ page: page.value, pageSize: MISSED_PAGE_SIZE }, own.signal);
      // The last row of the last page was taken: show the page before.
      if (answer.items.length === 0 && page.value > 1 && answer.total > 0) {
        page.value = Math.ceil(answer.total / MISSED_PAGE_SIZE);
        controller = null;
        return load();
      }
      rows.value = answer.items;
      total.value = answer.total;
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

  function changePage(next: number): void {
    page.value = next;
    void load();
  }

  function withMarking(id: number, on: boolean): void {
    const next = new Set(marking.value);
    if (on) next.add(id);
    else next.delete(id);
    marking.value = next;
  }

  /** 已回拨. */
  async function calledBack(call: CallListItem): Promise<void> {
    if (marking.value.has(call.id)) return;
    withMarking(call.id, true);
    try {
      await markCalledBack(call.id);
      ElMessage.success(t('calls.missed.done'));
    } catch (error) {
      ElMessage.error(await calledBackError(error, call.id));
    } finally {
      withMarking(call.id, false);
    }
    // Either way the list is out of date: the call left it (by us or by someone else).
    await load();
  }

  /** 409: the call is not one to call back, or someone did it already — then who and when (from the record). */
  async function calledBackError(error: unknown, id: number): Promise<string> {
    if (!(error instanceof ApiError) || error.kind !== 'server' || error.statusCode !== 409) return message(error);
    const details = error.details as { status?: unknown } | null;
    if (typeof details?.status === 'string') return t('calls.missed.notMissed');
    try {
      const record = await getCall(id);
      if (record.calledBackAt && record.calledBackBy?.displayName) {
        return t('calls.missed.alreadyDone', { name: record.calledBackBy.displayName, time: formatCallTime(record.calledBackAt) ?? '' });
      }
    } catch {
      // Said without the name.
    }
    return t('calls.missed.alreadyDoneBySomeone');
  }

  /** Whether the user registers orders (the intake page's roles). */
  const canRegister = computed(() => {
    const role = userStore.user?.role;
    if (!role || !router.hasRoute(INTAKE)) return false;
    const roles = router.resolve({ name: INTAKE }).meta.roles;
    return !roles || roles.includes(role);
  });

  /** 登记工单: the caller's number on the intake desk, then the intake page (it fills the form from the desk). */
  async function register(call: CallListItem): Promise<void> {
    offer({ phone: call.fromNumber ?? '' });
    await router.push({ name: INTAKE });
  }

  void load();
  onBeforeUnmount(() => controller?.abort());

  return { rows, total, page, loadState, errorMessage, marking, load, changePage, calledBack, canRegister, register };
}

import { ElMessage } from 'element-plus';
import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import { ApiError } from '@/api/api-error';
import { findWorkOrderByNumber, getCall, linkWorkOrder, type CallDetail } from '@/api/calls';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { CALL_DETAIL } from '@/router/modules/calls';
import { isAbort } from '@/utils/error-message';
import { usePolling } from '../usePolling';
import { recordingAvailability } from './useRecording';

type LoadState = 'loading' | 'loaded' | 'error';

/** While a call goes on or its recording is being uploaded, the record is read again this often. */
export const DETAIL_REFRESH_MS = 5000;

/** A work-order number as typed: digits (the list's number search needs 6 or more). */
export const ORDER_NUMBER_PATTERN = /^\d{6,20}$/;

/** The problem with a typed order number, as a locale key; null when it can be looked up. */
export function orderNumberProblem(raw: string): string | null {
  const number = raw.trim();
  if (!number) return 'calls.link.numberRequired';
  return ORDER_NUMBER_PATTERN.test(number) ? null : 'calls.link.numberPattern';
}

/** One call (`/calls/:id`): its record, read again quietly while something about it is still to come; linking orders. */
export function useCallDetail() {
  const route = useRoute();
  const { t } = useI18n();
  const { message } = useApiErrorMessage();

  const call = shallowRef<CallDetail | null>(null);
  const loadState = ref<LoadState>('loading');
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  const callId = computed(() => (route.name === CALL_DETAIL ? Number(route.params.id) : null));

  async function load(): Promise<void> {
    const id = callId.value;
    if (id === null || !Number.isInteger(id)) return;
    controller?.abort();
    const own = new AbortController();
    controller = own;
    loadState.value = 'loading';
    try {
      call.value = await getCall(id, own.signal);
      errorMessage.value = null;
      loadState.value = 'loaded';
    } catch (error) {
      if (isAbort(error)) return;
      call.value = null;
      errorMessage.value = message(error);
      loadState.value = 'error';
    } finally {
      if (controller === own) controller = null;
    }
  }

  watch(callId, () => void load(), { immediate: true });
  onBeforeUnmount(() => controller?.abort());

  // Something still to come (the call goes on, or its recording is on its way): read the record again now and then.
  const waitingForRecording = computed(() => {
    const current = call.value;
    if (!current) return false;
    const availability = recordingAvailability(current, Date.now());
    return availability === 'inProgress' || availability === 'pending';
  });
  const polling = usePolling(
    async (signal) => {
      const current = call.value;
      if (!current || !waitingForRecording.value || controller) return;
      try {
        const fresh = await getCall(current.id, signal);
        if (call.value?.id === fresh.id) call.value = fresh;
      } catch {
        // Kept as shown; the next round tries again.
      }
    },
    DETAIL_REFRESH_MS,
    { immediate: false },
  );
  watch(
    waitingForRecording,
    (waiting) => {
      if (waiting) polling.start(false);
      else polling.stop();
    },
    { immediate: true },
  );

  // ---- 关联工单 ----
  const orderNumber = ref('');
  const linking = ref(false);
  const linkError = ref<string | null>(null);

  /** Finds the order by its number and links it (404 and 409 explained). */
  async function link(): Promise<void> {
    const current = call.value;
    if (!current || linking.value) return;
    const number = orderNumber.value.trim();
    const problem = orderNumberProblem(number);
    if (problem) {
      linkError.value = t(problem);
      return;
    }
    linking.value = true;
    linkError.value = null;
    try {
      const order = await findWorkOrderByNumber(number);
      if (!order) {
        linkError.value = t('calls.link.orderNotFound', { number });
        return;
      }
      call.value = await linkWorkOrder(current.id, order.id);
      orderNumber.value = '';
      ElMessage.success(t('calls.link.linked', { number }));
    } catch (error) {
      linkError.value = linkErrorText(error, number);
      // Already linked (by someone else meanwhile): show the links as they are now.
      if (error instanceof ApiError && error.statusCode === 409) void load();
    } finally {
      linking.value = false;
    }
  }

  function linkErrorText(error: unknown, number: string): string {
    if (error instanceof ApiError && error.kind === 'server') {
      if (error.statusCode === 409) return t('calls.link.alreadyLinked', { number });
      // 404: the order vanished between the lookup and the link, or the call record did.
      if (error.statusCode === 404) return /work order/i.test(error.message) ? t('calls.link.orderNotFound', { number }) : t('calls.link.callNotFound');
    }
    return message(error);
  }

  return { call, callId, loadState, errorMessage, load, orderNumber, linking, linkError, link };
}

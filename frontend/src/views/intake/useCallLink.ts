import { ref } from 'vue';
import { linkWorkOrderToCall } from '@/api/cti-agent';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import type { ActiveCall } from './useIncomingCall';

/** none: no telephony call on the desk; linking; linked; failed (the order stays registered; retry). */
export type CallLinkState = 'none' | 'linking' | 'linked' | 'failed';

/**
 * Links an order registered during a telephony call to the call's record (`POST /api/calls/{id}/work-orders`), at
 * once. A failure leaves the order registered and says so, with a retry; a 409 (linked already — a retry after a
 * lost answer) counts as linked.
 */
export function useCallLink(call: ActiveCall | null, workOrderId: number) {
  const { message } = useApiErrorMessage();
  const recordId = call?.callRecordId ?? null;
  const state = ref<CallLinkState>(recordId === null ? 'none' : 'linking');
  const errorMessage = ref('');
  let pending: Promise<boolean> | null = null;

  async function send(id: number): Promise<boolean> {
    state.value = 'linking';
    errorMessage.value = '';
    try {
      await linkWorkOrderToCall(id, workOrderId);
      state.value = 'linked';
      return true;
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 409) {
        state.value = 'linked';
        return true;
      }
      errorMessage.value = message(error);
      state.value = 'failed';
      return false;
    }
  }

  /** Links the order (again after a failure); resolves true once it is linked. */
  function link(): Promise<boolean> {
    if (recordId === null) return Promise.resolve(false);
    if (state.value === 'linked') return Promise.resolve(true);
    pending ??= send(recordId).finally(() => (pending = null));
    return pending;
  }

  void link();

  return { state, errorMessage, phone: call?.phone ?? '', link };
}

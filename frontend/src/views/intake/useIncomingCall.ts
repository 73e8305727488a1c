import { computed, shallowRef } from 'vue';
import { normalizePhone } from './phone';

/** A call offered to the agent: by the "new call" button (a number typed in), or accepted from the screen pop (弹屏). */
export interface IncomingCall {
  /** The caller's number as the phone system or the agent gives it; empty when the caller withheld it. */
  phone: string;
  /** The telephony's id of the call (the SIP Call-ID); absent for a number typed in by hand. */
  callId?: string;
  /** The call record (`GET /api/calls/{id}`) orders registered during the call are linked to; telephony calls only. */
  callRecordId?: number;
}

/** The call on the agent's desk now. */
export interface ActiveCall {
  /** Normalised (no spaces, dashes or +86); empty when withheld. */
  phone: string;
  callId: string | null;
  /** The call record orders registered during this call are linked to; null for a number typed in by hand. */
  callRecordId: number | null;
  /** When it was offered (epoch ms). */
  receivedAt: number;
  /** Increases with every offer: the same number calling twice is still a new call. */
  sequence: number;
}

// One desk per console tab: module state, so that whoever offers the call (the button, the telephony's socket
// listener) and the intake page that shows it share it without a store.
const active = shallowRef<ActiveCall | null>(null);
let sequence = 0;

/**
 * The incoming-call panel's source of calls. `offer(call)` puts a call on the desk (the intake page fills the form
 * with the number and loads the caller's earlier orders); `end()` clears it after the call is dealt with.
 */
export function useIncomingCall() {
  function offer(call: IncomingCall): ActiveCall {
    sequence += 1;
    active.value = {
      phone: normalizePhone(call.phone),
      callId: call.callId ?? null,
      callRecordId: call.callRecordId ?? null,
      receivedAt: Date.now(),
      sequence,
    };
    return active.value;
  }

  function end(): void {
    active.value = null;
  }

  /** Whether this telephony call is on the desk already (accepting its screen pop twice does not offer it twice). */
  function holds(callRecordId: number): boolean {
    return active.value?.callRecordId === callRecordId;
  }

  return { call: computed(() => active.value), offer, end, holds };
}

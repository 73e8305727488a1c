import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch, type WatchStopHandle } from 'vue';
import {
  getOwnAgentState,
  getScreenPop,
  setOwnAgentState,
  type AgentStateResponse,
  type ScreenPop,
  type SettableAgentState,
} from '@/api/cti-agent';
import { onRealtime } from '@/realtime/socket';
import { useUserStore } from '@/store/modules/user';
import { useIncomingCall, type ActiveCall } from '@/views/intake/useIncomingCall';

/** Whether `next` is older than the state shown (both carry the server's version; the same user's). */
function isStale(next: AgentStateResponse, shown: AgentStateResponse | null): boolean {
  return shown !== null && shown.userId === next.userId && next.version < shown.version;
}

/**
 * The agent's telephony desk: their state (就绪/忙碌/离开/离线/振铃) as the server pushes it (`cti.agentState`) and
 * reloads it on every (re)connection, and the screen pop (弹屏) of the call the ACD offers them (`cti.screenPop`, or
 * `GET /api/calls/{id}/screen-pop` for a console opened while the call rings or lasts). Only agents take calls: for
 * anyone else it stays empty. It follows the session, like the notifications store.
 */
export const useTelephonyStore = defineStore('telephony', () => {
  const userStore = useUserStore();
  const desk = useIncomingCall();

  const agent = ref<AgentStateResponse | null>(null);
  const loadError = ref<unknown>(null);
  const changing = ref(false);
  /** The call offered (or answered, not yet taken to the desk). */
  const pop = shallowRef<ScreenPop | null>(null);
  /** The agent put the pop aside ("稍后"); the header's call button opens it again. */
  const popHidden = ref(false);
  /** The agent answered the popped call on their phone: its pop stays after the hangup until taken or put away. */
  const popAnswered = ref(false);

  const isAgent = computed(() => userStore.user?.role === 'agent');
  /** Call-center agents with an extension: the only ones the header shows a state to. */
  const hasPhone = computed(() => agent.value !== null && agent.value.extension !== null);
  /** Whether the popped call is still ringing at / going on with the agent. */
  const popCallCurrent = computed(() => pop.value !== null && agent.value?.currentCallId === pop.value.callId);

  let stopFollowing: WatchStopHandle | null = null;
  let unsubscribe: (() => void)[] = [];
  /**
   * Bumped by every push and every request: a failed read reports its error only when nothing newer arrived meanwhile.
   * (Answers and pushes carry the server's version: the newer of two stays, whichever arrives last — see isStale.)
   */
  let sequence = 0;

  function closePop(): void {
    pop.value = null;
    popHidden.value = false;
    popAnswered.value = false;
  }

  function showPop(next: ScreenPop, answered = false): void {
    if (desk.holds(next.callRecordId)) return;
    pop.value = next;
    popHidden.value = false;
    popAnswered.value = answered;
  }

  function apply(next: AgentStateResponse): void {
    if (next.userId !== userStore.user?.id || isStale(next, agent.value)) return;
    agent.value = next;
    loadError.value = null;
    const current = pop.value;
    if (!current) return;
    if (next.currentCallId === current.callId) {
      if (next.state === 'busy') popAnswered.value = true;
    } else if (!popAnswered.value) {
      // Rang out, went to another agent, or the caller hung up before the answer: nothing to take any more.
      closePop();
    }
  }

  /** The pop of a call that rings at / goes on with the agent but was not heard (a reload, a dropped socket). */
  async function restorePop(state: AgentStateResponse): Promise<void> {
    const callId = state.currentCallId;
    if (!callId || pop.value?.callId === callId || desk.call.value?.callId === callId) return;
    const recordId = state.currentCallRecordId;
    if (recordId === null || desk.holds(recordId)) return;
    const restored = await getScreenPop(recordId);
    // Ended (or popped by a push) meanwhile.
    if (agent.value?.currentCallId !== restored.callId || pop.value?.callId === restored.callId) return;
    showPop(restored, agent.value.state === 'busy');
  }

  /** Reads the state again (start, every socket (re)connection) and restores a pop that was not heard. */
  async function refresh(): Promise<void> {
    if (!isAgent.value) return;
    const asked = ++sequence;
    try {
      const state = await getOwnAgentState();
      apply(state);
      await restorePop(state);
    } catch (error) {
      if (asked === sequence) loadError.value = error;
    }
  }

  /** The agent sets themself ready / busy / away; rejects with the API's error (409 ringing or in a call, 422 no phone). */
  async function setState(next: SettableAgentState): Promise<AgentStateResponse> {
    changing.value = true;
    sequence += 1;
    try {
      const state = await setOwnAgentState(next);
      apply(state);
      return state;
    } catch (error) {
      // Whatever changed meanwhile (a call offered at the same moment) is shown at once.
      void refresh();
      throw error;
    } finally {
      changing.value = false;
    }
  }

  /** "受理": the call goes on the intake desk (number, caller history, link of the orders registered). */
  function accept(): ActiveCall | null {
    const current = pop.value;
    if (!current) return null;
    closePop();
    if (desk.holds(current.callRecordId)) return desk.call.value;
    return desk.offer({ phone: current.fromNumber ?? '', callId: current.callId, callRecordId: current.callRecordId });
  }

  function hidePop(): void {
    if (pop.value) popHidden.value = true;
  }

  function reopenPop(): void {
    popHidden.value = false;
  }

  function subscribe(): void {
    if (unsubscribe.length) return;
    unsubscribe = [
      onRealtime('connect', () => void refresh()),
      onRealtime('cti.agentState', (state) => {
        sequence += 1;
        apply(state);
      }),
      onRealtime('cti.screenPop', (offered) => {
        if (offered.userId !== userStore.user?.id) return;
        showPop(offered);
      }),
    ];
  }

  function clear(): void {
    for (const stop of unsubscribe) stop();
    unsubscribe = [];
    sequence += 1;
    agent.value = null;
    loadError.value = null;
    closePop();
  }

  /** Follows the session: an agent signed in gets their state and pops; a logout (or another role) clears them. */
  function start(): void {
    if (stopFollowing) return;
    stopFollowing = watch(
      () => [userStore.accessToken !== null, userStore.user?.id, isAgent.value] as const,
      ([signedIn, userId, agentRole], previous) => {
        if (previous && previous[1] === userId && previous[0] === signedIn && previous[2] === agentRole) return;
        clear();
        if (signedIn && userId !== undefined && agentRole) {
          subscribe();
          void refresh();
        }
      },
      { immediate: true },
    );
  }

  function stop(): void {
    stopFollowing?.();
    stopFollowing = null;
    clear();
  }

  return {
    agent,
    loadError,
    changing,
    pop,
    popHidden,
    popAnswered,
    popCallCurrent,
    isAgent,
    hasPhone,
    start,
    stop,
    refresh,
    setState,
    accept,
    hidePop,
    reopenPop,
  };
});

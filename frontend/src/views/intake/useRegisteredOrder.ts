import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { WorkOrderDetail } from '@/api/models';
import { markRepeat, repeatFieldsOf, similarOrdersOf, unmarkRepeat, type SimilarOrder } from '@/api/repeats';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { permitted } from '@/directives/perms';
import { useOrganisationStore } from '@/store/modules/organisation';
import { useUserStore } from '@/store/modules/user';
import { rankCandidates, relationsOf, type CandidateAction, type CandidateRelation } from '@/views/work-orders/actions/repeats/reasons';
import { INTAKE_LIMITS } from './rule';
import { useCallLink } from './useCallLink';
import type { RegisteredOrder } from './useIntakeForm';

export type NextStep = 'dispatch' | 'resolve';

/** The timeline entries that set or take back an order's repeat mark. */
const REPEAT_MARKS: ReadonlySet<string> = new Set(['repeat-detected', 'mark-repeat', 'unmark-repeat']);
export type Outcome = 'dispatched' | 'resolved';

/**
 * Right after registering (the result panel): dispatch now to the lead unit the category suggests (assisting units
 * optional), or 直办 — close it at once with the answer given on the call. Only what the order's `allowedActions`
 * offers is shown; a 409 (someone acted meanwhile) reloads the order.
 */
export function useRegisteredOrder(registered: RegisteredOrder, initialAnswer: string | null) {
  const { t } = useI18n();
  const { message, isConflict } = useApiErrorMessage();
  const organisation = useOrganisationStore();
  const userStore = useUserStore();
  /** Registered during a telephony call: linked to the call's record at once (a failure offers a retry). */
  const callLink = useCallLink(registered.call, registered.order.id);

  const order = shallowRef<WorkOrderDetail>(registered.order);
  const outcome = ref<Outcome | null>(null);
  const busy = ref(false);
  const leadUnitId = ref<number | null>(registered.suggestedLeadUnitId);
  const assistingUnitIds = ref<number[]>([]);
  const note = ref('');
  const answer = ref(initialAnswer ?? '');
  const answerFromKnowledge = ref(initialAnswer !== null);
  const leadError = ref('');
  const answerError = ref('');

  const allows = (action: 'dispatch' | 'resolve-directly') => permitted({ action, allowed: order.value.allowedActions }, userStore.user?.role);
  const canDispatch = computed(() => allows('dispatch'));
  const canResolve = computed(() => allows('resolve-directly'));
  /** A consultation is usually answered on the call (直办); anything else goes to a unit. */
  const step = ref<NextStep>(
    (order.value.requestType === 'consultation' || initialAnswer !== null) && canResolve.value ? 'resolve' : canDispatch.value ? 'dispatch' : 'resolve',
  );
  const suggestedUnit = computed(() => organisation.findUnit(registered.suggestedLeadUnitId));
  const dispatchedTo = computed(() => order.value.leadUnit?.name ?? organisation.findUnit(leadUnitId.value)?.name ?? '');

  function setLeadUnit(value: number | number[] | null): void {
    leadUnitId.value = typeof value === 'number' ? value : null;
    if (leadUnitId.value !== null) {
      leadError.value = '';
      assistingUnitIds.value = assistingUnitIds.value.filter((id) => id !== leadUnitId.value);
    }
  }

  function setAssistingUnits(value: number | number[] | null): void {
    assistingUnitIds.value = Array.isArray(value) ? value : value === null ? [] : [value];
  }

  /** The knowledge base's "use": its text becomes the 直办 answer. */
  function applyAnswer(text: string): void {
    answer.value = text.slice(0, INTAKE_LIMITS.answer);
    answerFromKnowledge.value = true;
    answerError.value = '';
    if (canResolve.value) step.value = 'resolve';
  }

  async function reload(): Promise<void> {
    try {
      order.value = await getWorkOrder(order.value.id);
    } catch (error) {
      ElMessage.error(message(error));
    }
  }

  async function failed(error: unknown): Promise<void> {
    if (isConflict(error)) {
      ElMessage.warning(t('errors.orderChanged'));
      await reload();
    } else {
      ElMessage.error(message(error));
    }
  }

  async function dispatch(): Promise<boolean> {
    if (busy.value || outcome.value) return false;
    if (leadUnitId.value === null) {
      leadError.value = t('intake.rules.leadUnitRequired');
      return false;
    }
    busy.value = true;
    try {
      const trimmedNote = note.value.trim();
      order.value = await performAction(order.value.id, 'dispatch', {
        version: order.value.version,
        leadUnitId: leadUnitId.value,
        ...(assistingUnitIds.value.length ? { assistingUnitIds: assistingUnitIds.value } : {}),
        ...(trimmedNote ? { note: trimmedNote } : {}),
      });
      outcome.value = 'dispatched';
      ElMessage.success(t('intake.result.dispatched', { unit: dispatchedTo.value }));
      return true;
    } catch (error) {
      await failed(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function resolve(): Promise<boolean> {
    if (busy.value || outcome.value) return false;
    const text = answer.value.trim();
    if (!text) answerError.value = t('intake.rules.answerRequired');
    else if (text.length > INTAKE_LIMITS.answer) answerError.value = t('intake.rules.answerTooLong', INTAKE_LIMITS);
    else answerError.value = '';
    if (answerError.value) return false;
    busy.value = true;
    try {
      order.value = await performAction(order.value.id, 'resolve-directly', { version: order.value.version, answer: text });
      outcome.value = 'resolved';
      ElMessage.success(t('intake.result.resolved'));
      return true;
    } catch (error) {
      await failed(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  // ---- Candidates (the registration's similarOrders) ----
  const candidates = computed<SimilarOrder[]>(() => rankCandidates(similarOrdersOf(registered.order)));
  /** The candidate an action is running on. */
  const candidateBusy = ref<number | null>(null);
  const repeat = computed(() => repeatFieldsOf(order.value));
  /** The detector marked the order (its latest repeat mark is the detector's). */
  const markedByDetector = computed(() => {
    if (repeat.value.repeatOfId === null) return false;
    // The detector screens the order right after the answer; its mark arrives with workOrder.changed (reload).
    const marks = order.value.timeline.filter((event) => REPEAT_MARKS.has(event.action));
    return marks.at(-1)?.action === 'repeat-detected';
  });
  /** The detector marked the order a repeat at registration (or the agent just did): of which order. */
  const repeatOfNumber = computed(() => {
    const { repeatOfId, repeatOf } = repeat.value;
    if (repeatOfId === null) return null;
    return repeatOf?.number ?? candidates.value.find((candidate) => candidate.id === repeatOfId)?.number ?? `#${repeatOfId}`;
  });

  /** Whether the order offers the action now (the server's allowedActions) to this user. */
  function offers(action: CandidateAction | 'unmark-repeat'): boolean {
    return (order.value.allowedActions as readonly string[]).includes(action);
  }

  /** How the new order stands to a candidate, strongest first (merged, repeat, linked). */
  function relationsTo(candidate: SimilarOrder): Exclude<CandidateRelation, null>[] {
    return relationsOf({ ...order.value, repeatOfId: repeat.value.repeatOfId }, candidate.id);
  }

  const DONE_MESSAGE: Record<CandidateAction, string> = { link: 'linkDone', 'mark-repeat': 'markRepeatDone', merge: 'mergeDone' };

  /** Link / mark repeat / merge the new order into a candidate; a merge is confirmed first. */
  async function actOnCandidate(action: CandidateAction, candidate: SimilarOrder): Promise<boolean> {
    if (busy.value || candidateBusy.value !== null || !offers(action)) return false;
    const names = { number: order.value.number, target: candidate.number };
    if (action === 'merge') {
      try {
        await ElMessageBox.confirm(t('repeats.act.mergeConfirm', names), t('repeats.act.mergeConfirmTitle'), { type: 'warning' });
      } catch {
        return false;
      }
    }
    candidateBusy.value = candidate.id;
    try {
      const body = { version: order.value.version, targetId: candidate.id };
      order.value = action === 'mark-repeat' ? await markRepeat(order.value.id, body) : await performAction(order.value.id, action, body);
      ElMessage.success(t(`repeats.act.${DONE_MESSAGE[action]}`, names));
      return true;
    } catch (error) {
      await failed(error);
      return false;
    } finally {
      candidateBusy.value = null;
    }
  }

  /** Takes back a repeat mark (the detector's or the agent's). */
  async function unmarkOrderRepeat(): Promise<boolean> {
    if (busy.value || candidateBusy.value !== null || !offers('unmark-repeat')) return false;
    candidateBusy.value = repeat.value.repeatOfId ?? 0;
    try {
      order.value = await unmarkRepeat(order.value.id, { version: order.value.version });
      ElMessage.success(t('repeats.act.unmarkDone'));
      return true;
    } catch (error) {
      await failed(error);
      return false;
    } finally {
      candidateBusy.value = null;
    }
  }

  // Someone else acted on the order (a dispatcher was quicker, the detector marked it a repeat): show what it is now
  // and what is still possible — also when the change came before the panel was mounted (replay).
  useWorkOrderChanges(
    (event) => {
      if (outcome.value || busy.value || candidateBusy.value !== null) return;
      if (event === null || (event.workOrderId === order.value.id && event.version > order.value.version)) void reload();
    },
    { replay: () => [order.value.id] },
  );

  return {
    callLink,
    order,
    outcome,
    busy,
    step,
    leadUnitId,
    assistingUnitIds,
    note,
    answer,
    answerFromKnowledge,
    leadError,
    answerError,
    canDispatch,
    canResolve,
    suggestedUnit,
    dispatchedTo,
    setLeadUnit,
    setAssistingUnits,
    applyAnswer,
    dispatch,
    resolve,
    candidates,
    candidateBusy,
    repeatOfNumber,
    markedByDetector,
    offers,
    relationsTo,
    actOnCandidate,
    unmarkOrderRepeat,
  };
}

import { ElMessage } from 'element-plus';
import { computed, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { WorkOrderDetail } from '@/api/models';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useWorkOrderChanges } from '@/composables/useWorkOrderChanges';
import { permitted } from '@/directives/perms';
import { useOrganisationStore } from '@/store/modules/organisation';
import { useUserStore } from '@/store/modules/user';
import { INTAKE_LIMITS } from './rule';
import type { RegisteredOrder } from './useIntakeForm';

export type NextStep = 'dispatch' | 'resolve';
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

  // Someone else acted on the order (a dispatcher was quicker): show what it is now and what is still possible.
  useWorkOrderChanges((event) => {
    if (outcome.value || busy.value) return;
    if (event === null || (event.workOrderId === order.value.id && event.version > order.value.version)) void reload();
  });

  return {
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
  };
}

import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import type { WorkOrderAction, WorkOrderDetail } from '@/api/models';
import { performAction, type ActionBody } from '@/api/work-order-actions';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import type { ActionFormProps } from './types';

type Emit = {
  (event: 'done', order: WorkOrderDetail): void;
  (event: 'stale'): void;
};

/** A body without `version`: the submit adds the version of the order the form was opened with. */
export type ActionFields<A extends WorkOrderAction> = Omit<ActionBody<A>, 'version'>;

/**
 * Submits a form's action: adds the order's `version`, emits `done(order)` on success and `stale()` on a 409 (the host
 * tells the user and reloads); any other failure is shown as a message and the form stays open to fix and retry.
 */
export function useActionSubmit(props: Readonly<ActionFormProps>, emit: Emit) {
  const { message, isConflict } = useApiErrorMessage();
  const submitting = ref(false);

  async function submit<A extends WorkOrderAction>(action: A, fields: ActionFields<A>): Promise<boolean> {
    if (submitting.value) return false;
    submitting.value = true;
    try {
      const body = { ...fields, version: props.order.version } as ActionBody<A>;
      const order = await performAction(props.order.id, action, body);
      emit('done', order);
      return true;
    } catch (error) {
      if (isConflict(error)) emit('stale');
      else ElMessage.error(message(error));
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, submit };
}

/** Drops empty optional text (`''` → absent) so that the backend sees only what the user wrote. */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import type { WorkOrderDetail } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';

type Emit = {
  (event: 'done', order: WorkOrderDetail): void;
  (event: 'stale'): void;
};

/**
 * useActionSubmit for the actions this feature adds (mark-repeat, unmark-repeat, rule), whose endpoints have their
 * own typed calls in api/repeats.ts and api/shirking.ts: `done(order)` on success, `stale()` on a 409, a message
 * otherwise (the form stays open).
 */
export function useCallSubmit(emit: Emit) {
  const { message, isConflict } = useApiErrorMessage();
  const submitting = ref(false);

  async function run(call: () => Promise<WorkOrderDetail>): Promise<boolean> {
    if (submitting.value) return false;
    submitting.value = true;
    try {
      emit('done', await call());
      return true;
    } catch (error) {
      if (isConflict(error)) emit('stale');
      else ElMessage.error(message(error));
      return false;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, run };
}

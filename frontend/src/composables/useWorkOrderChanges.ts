import { onBeforeUnmount, onMounted } from 'vue';
import type { WorkOrderChangedEvent } from '@/realtime/socket';
import { useNotificationsStore } from '@/store/modules/notifications';

export type { WorkOrderChangedEvent };

/**
 * Calls `callback` whenever the server says an order that concerns the user changed (`workOrder.changed`, over the
 * console's one socket, which the layout keeps open). `null` means the socket has just reconnected: whatever was
 * shown may be stale. Lists and queues refresh with it; the order page reloads when its own order changed.
 * The listener lives as long as the component. `replay`: orders whose latest change the console heard before the
 * component was mounted is passed to `callback` at once (a change that came while the view was being built).
 */
export function useWorkOrderChanges(callback: (event: WorkOrderChangedEvent | null) => void, options: { replay?: () => readonly number[] } = {}): void {
  let stop: (() => void) | null = null;
  onMounted(() => {
    stop = useNotificationsStore().onWorkOrderChanged(callback, options.replay?.() ?? []);
  });
  onBeforeUnmount(() => {
    stop?.();
    stop = null;
  });
}

/**
 * The latest change of an order the console heard lately (over the socket, whoever listened), undefined when none is
 * kept: a view that has just read the order reads it again when the change is newer than what it got (the change came
 * while the request was under way).
 */
export function latestWorkOrderChange(workOrderId: number): WorkOrderChangedEvent | undefined {
  return useNotificationsStore().latestChangeOf(workOrderId);
}

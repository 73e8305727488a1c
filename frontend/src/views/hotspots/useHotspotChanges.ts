import { onBeforeUnmount, onMounted } from 'vue';
import type { HotspotChangedEvent } from '@/api/hotspots';
import type { WorkOrderChangedEvent } from '@/composables/useWorkOrderChanges';
import { useNotificationsStore } from '@/store/modules/notifications';

/** Timeline actions after which a hotspot may have formed or grown: a new order, or one joining a hotspot. */
const HOTSPOT_ACTIONS: readonly string[] = ['register', 'hotspot-joined', 'repeat-detected'];

type Listener = (event: HotspotChangedEvent | null) => void;

/**
 * Calls `callback` when a hotspot formed or grew (`hotspot.changed`, pushed to supervisors and admins over the
 * console's one socket), and with `null` after a reconnect or when an order that may concern a hotspot changed.
 */
export function useHotspotChanges(callback: Listener): void {
  const stops: (() => void)[] = [];
  onMounted(() => {
    const store = useNotificationsStore();
    stops.push(store.onHotspotChanged(callback));
    stops.push(
      store.onWorkOrderChanged((event: WorkOrderChangedEvent | null) => {
        if (event === null || HOTSPOT_ACTIONS.includes(event.action)) callback(null);
      }),
    );
  });
  onBeforeUnmount(() => {
    for (const stop of stops.splice(0)) stop();
  });
}

import type { HotspotChangedEvent } from '@/api/hotspots';
import { io, type Socket } from 'socket.io-client';
import type { AppNotification, TimelineAction, WorkOrderStatus } from '@/api/models';

/** What the server pushes (backend/src/realtime). */
export interface ServerEvents {
  ready: (info: { userId: number; unitId: number | null }) => void;
  unauthorized: (info: { message: string }) => void;
  'notification.created': (notification: AppNotification) => void;
  'workOrder.changed': (event: WorkOrderChangedEvent) => void;
  /** To supervisors and administrators: a hotspot (多人反映) formed or grew. */
  'hotspot.changed': (event: HotspotChangedEvent) => void;
}

/** `workOrder.changed` (backend/src/events/app-events.ts): an order that concerns the user changed. */
export interface WorkOrderChangedEvent {
  workOrderId: number;
  number: string;
  action: TimelineAction;
  fromStatus: WorkOrderStatus | null;
  toStatus: WorkOrderStatus | null;
  version: number;
  actorId: number | null;
  unitIds: number[];
  userIds: number[];
  at: string;
}

export type RealtimeSocket = Socket<ServerEvents, Record<string, never>>;

/**
 * A socket.io connection to the console's own origin. The token is read at every (re)connection attempt, so an
 * automatic reconnect after a network drop uses the freshest access token. Tests replace this module.
 */
export function connectRealtime(getToken: () => string | null): RealtimeSocket {
  return io({
    path: '/socket.io',
    transports: ['websocket'],
    auth: (send) => send({ token: getToken() ?? '' }),
  });
}

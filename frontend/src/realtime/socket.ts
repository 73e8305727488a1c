import type { AgentStateResponse, ScreenPop } from '@/api/cti-agent';
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
  /** To the agent: their own state changed (their PUT, the ACD ringing/busy/away/ready, phone removed, offline). */
  'cti.agentState': (state: AgentStateResponse) => void;
  /** To the agent: 弹屏 — the ACD offers them a call (their phone rings). */
  'cti.screenPop': (pop: ScreenPop) => void;
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
 * Server events relayed to listeners that do not own the socket (the telephony desk), and `connect`, after which
 * such a listener reloads what it may have missed while the socket was down.
 */
export interface RelayedEvents {
  connect: () => void;
  'cti.agentState': ServerEvents['cti.agentState'];
  'cti.screenPop': ServerEvents['cti.screenPop'];
}
type RelayedEvent = keyof RelayedEvents;

const relayed: { [E in RelayedEvent]: Set<RelayedEvents[E]> } = {
  connect: new Set(),
  'cti.agentState': new Set(),
  'cti.screenPop': new Set(),
};

/**
 * Listens to an event of the console's one socket (opened and closed by the notifications store), whichever socket
 * is current; returns the function that stops listening.
 */
export function onRealtime<E extends RelayedEvent>(event: E, listener: RelayedEvents[E]): () => void {
  const listeners = relayed[event] as Set<RelayedEvents[E]>;
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Passes a socket's relayed events on to {@link onRealtime}'s listeners (done for every socket {@link connectRealtime} opens). */
export function relayRealtime(socket: RealtimeSocket): void {
  socket.on('connect', () => {
    for (const listener of [...relayed.connect]) listener();
  });
  socket.on('cti.agentState', (state) => {
    for (const listener of [...relayed['cti.agentState']]) listener(state);
  });
  socket.on('cti.screenPop', (pop) => {
    for (const listener of [...relayed['cti.screenPop']]) listener(pop);
  });
}

/**
 * A socket.io connection to the console's own origin. The token is read at every (re)connection attempt, so an
 * automatic reconnect after a network drop uses the freshest access token. Tests replace this module.
 */
export function connectRealtime(getToken: () => string | null): RealtimeSocket {
  const socket: RealtimeSocket = io({
    path: '/socket.io',
    transports: ['websocket'],
    auth: (send) => send({ token: getToken() ?? '' }),
  });
  relayRealtime(socket);
  return socket;
}

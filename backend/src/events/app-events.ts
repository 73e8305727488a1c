import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AgentStateView } from '../cti/agent-state.view';
import type { ScreenPopView } from '../cti/screen-pop.view';
import type { NotificationView } from '../notifications/notification.view';
import type { TimelineAction, WorkOrderStatus } from '../work-orders/work-order.enums';

/** A work order changed; the realtime gateway tells the units and users concerned. */
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

/**
 * Every session of a user ended (logout, a new password; an administrator disabled the account, changed its role or
 * unit, or reset its password): the realtime gateway closes the user's sockets.
 */
export interface SessionsEndedEvent {
  userId: number;
  reason: 'logout' | 'password-changed' | 'account-disabled' | 'account-changed' | 'password-reset';
}

/** A notification was stored for a user and its transaction committed: the realtime push sends it to the user's sockets. */
export interface NotificationCreatedEvent {
  userId: number;
  notification: NotificationView;
}

/**
 * 多人反映: a hotspot formed (its matter reached HOTSPOT_MIN_ORDERS orders from at least two callers within the window)
 * or grew (more orders joined it). Emitted after the hotspot's transaction committed, once per screening batch; the
 * realtime push sends it to the center's supervisors and administrators.
 */
export interface HotspotChangedEvent {
  hotspotId: number;
  matterId: number;
  change: 'formed' | 'grown';
  /** The order whose registration formed or grew it (of orders screened together, the latest). */
  workOrderId: number;
  title: string;
  address: string;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number;
  memberCount: number;
  callerCount: number;
  /** UTC ISO date-times. */
  firstAt: string;
  lastAt: string;
}

/**
 * 话务 (cti/): the ACD offered a call to an agent (their phone rings). Emitted after the offer was stored; the realtime
 * push sends it as the screen pop `cti.screenPop` to the agent's own sockets. The payload is the screen pop itself
 * (cti/screen-pop.view.ts: the caller's number, earlier orders, likely repeats), offeredAt always set.
 */
export type CtiCallOfferedEvent = ScreenPopView & { offeredAt: string };

/**
 * 话务 (cti/): an agent's state changed (ready, busy, away, ringing, offline; also their extension). Emitted after the
 * change committed, with the state as it is then; the realtime push sends it as `cti.agentState` to the agent's sockets.
 */
export type CtiAgentStateChangedEvent = AgentStateView;

/** The event map: every event name with its payload type. */
export interface AppEvents {
  'workOrder.changed': WorkOrderChangedEvent;
  'user.sessionsEnded': SessionsEndedEvent;
  'notification.created': NotificationCreatedEvent;
  'hotspot.changed': HotspotChangedEvent;
  'cti.callOffered': CtiCallOfferedEvent;
  'cti.agentStateChanged': CtiAgentStateChangedEvent;
}

export type AppEventName = keyof AppEvents;

/** Typed wrapper over the event emitter so emitters and listeners agree on payloads. */
@Injectable()
export class AppEventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    this.emitter.emit(name, payload);
  }
}

import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
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

/** The event map: every event name with its payload type. */
export interface AppEvents {
  'workOrder.changed': WorkOrderChangedEvent;
  'user.sessionsEnded': SessionsEndedEvent;
  'notification.created': NotificationCreatedEvent;
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

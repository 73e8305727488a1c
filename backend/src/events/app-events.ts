import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
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

/** The event map: every event name with its payload type. */
export interface AppEvents {
  'workOrder.changed': WorkOrderChangedEvent;
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

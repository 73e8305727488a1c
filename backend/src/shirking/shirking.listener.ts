import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { WorkOrderChangedEvent } from '../events/app-events';
import { ShirkingService } from './shirking.service';

/** Side work after an order changed (its transaction committed): the shirking rules look at it again. */
@Injectable()
export class ShirkingListener {
  constructor(private readonly shirking: ShirkingService) {}

  @OnEvent('workOrder.changed')
  onWorkOrderChanged(event: WorkOrderChangedEvent): void {
    this.shirking.onOrderChanged(event.workOrderId, event.action, event.actorId);
  }
}

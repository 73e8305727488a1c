import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { CtiCallOfferedEvent } from '../events/app-events';
import { RealtimeGateway, userRoom } from './realtime.gateway';

/**
 * 弹屏: when the ACD offers a call to an agent, pushes `cti.screenPop` (the event as emitted: the caller's number, their
 * earlier orders, the call's ids) to that agent's own sockets, in every process (the adapter of RealtimeIoAdapter).
 */
@Injectable()
export class CtiScreenPopListener {
  private readonly logger = new Logger(CtiScreenPopListener.name);

  constructor(private readonly gateway: RealtimeGateway) {}

  @OnEvent('cti.callOffered')
  onCallOffered(event: CtiCallOfferedEvent): void {
    if (!this.gateway.server) return;
    this.gateway.server.to(userRoom(event.userId)).emit('cti.screenPop', event);
    this.logger.debug(`cti.screenPop ${event.callId} → user ${event.userId} (${event.earlierOrders.length} earlier orders)`);
  }
}

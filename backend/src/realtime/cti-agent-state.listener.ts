import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { CtiAgentStateChangedEvent } from '../events/app-events';
import { RealtimeGateway, userRoom } from './realtime.gateway';

/**
 * 坐席状态: when an agent's state changes (their own PUT, the ACD offering a call, the call's answer and hangup, a missed
 * offer, logging out, leaving the console, the phone removed), pushes `cti.agentState` (AgentStateResponse, as it is after
 * the change) to that agent's own sockets, in every process (the adapter of RealtimeIoAdapter).
 */
@Injectable()
export class CtiAgentStateListener {
  private readonly logger = new Logger(CtiAgentStateListener.name);

  constructor(private readonly gateway: RealtimeGateway) {}

  @OnEvent('cti.agentStateChanged')
  onAgentStateChanged(event: CtiAgentStateChangedEvent): void {
    if (!this.gateway.server) return;
    this.gateway.server.to(userRoom(event.userId)).emit('cti.agentState', event);
    this.logger.debug(`cti.agentState ${event.state} (version ${event.version}) → user ${event.userId}`);
  }
}

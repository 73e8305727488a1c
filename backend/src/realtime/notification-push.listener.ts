import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { NotificationCreatedEvent } from '../events/app-events';
import { RealtimeGateway, userRoom } from './realtime.gateway';

/**
 * Pushes each committed notification to its user's sockets as `notification.created` (the notification view),
 * so the bell updates without polling. A user with no socket open reads it from GET /api/notifications later.
 * Like workOrder.changed, it reaches the user's sockets in every process (the adapter of RealtimeIoAdapter).
 */
@Injectable()
export class NotificationPushListener {
  private readonly logger = new Logger(NotificationPushListener.name);

  constructor(private readonly gateway: RealtimeGateway) {}

  @OnEvent('notification.created')
  onNotificationCreated(event: NotificationCreatedEvent): void {
    // No server before the gateway is initialised (and in contexts without sockets).
    if (!this.gateway.server) return;
    this.gateway.server.to(userRoom(event.userId)).emit('notification.created', event.notification);
    this.logger.debug(`notification.created ${event.notification.id} (${event.notification.kind}) → user ${event.userId}`);
  }
}

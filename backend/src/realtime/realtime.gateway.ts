import { Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { TokenService } from '../auth/token.service';
import type { WorkOrderChangedEvent } from '../events/app-events';
import { UsersService } from '../users/users.service';

export const unitRoom = (unitId: number) => `unit:${unitId}`;
export const userRoom = (userId: number) => `user:${userId}`;

/**
 * socket.io at /socket.io. Clients authenticate with their access token (handshake `auth.token`);
 * each socket joins its user's room and its unit's room, and hears `workOrder.changed` for orders that concern them.
 */
@WebSocketGateway({ cors: { origin: true } })
export class RealtimeGateway implements OnGatewayConnection {
  private readonly logger = new Logger(RealtimeGateway.name);

  @WebSocketServer()
  server: Server;

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {}

  async handleConnection(socket: Socket): Promise<void> {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string' || token.length === 0) throw new Error('No access token in the handshake (auth.token)');
      const payload = this.tokens.verifyAccess(token);
      const user = await this.users.findActiveAuthUser(payload.sub);
      if (!user) throw new Error('The account no longer exists or has been deactivated');
      await socket.join([userRoom(user.id), unitRoom(user.unitId)]);
      // The socket lives no longer than its token: the client reconnects with a fresh one.
      if (payload.exp) {
        const timer = setTimeout(() => {
          socket.emit('unauthorized', { message: 'The access token has expired: reconnect with a fresh one' });
          socket.disconnect(true);
        }, Math.max(0, payload.exp * 1000 - Date.now()));
        timer.unref();
        socket.once('disconnect', () => clearTimeout(timer));
      }
      socket.emit('ready', { userId: user.id, unitId: user.unitId });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Authentication failed';
      socket.emit('unauthorized', { message });
      socket.disconnect(true);
    }
  }

  @OnEvent('workOrder.changed')
  onWorkOrderChanged(event: WorkOrderChangedEvent): void {
    if (!this.server) return;
    const rooms = [...event.unitIds.map(unitRoom), ...event.userIds.map(userRoom)];
    this.server.to(rooms).emit('workOrder.changed', event);
    this.logger.debug(`workOrder.changed ${event.number} ${event.action} → ${rooms.length} rooms`);
  }
}

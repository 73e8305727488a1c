import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { SessionService } from '../auth/session.service';
import type { SessionsEndedEvent, WorkOrderChangedEvent } from '../events/app-events';
import type { Role } from '../users/role';
import { UserAccountsService } from '../users/user-accounts.service';

export const unitRoom = (unitId: number) => `unit:${unitId}`;
export const userRoom = (userId: number) => `user:${userId}`;
/** Every socket of a role (e.g. the supervisors, who hear of hotspots). */
export const roleRoom = (role: Role) => `role:${role}`;

/** How often open sockets are re-checked against the database, for sessions ended outside the server (the set-password CLI). */
export const SOCKET_RECHECK_MS = 30_000;

const SESSION_END_MESSAGES: Record<SessionsEndedEvent['reason'], string> = {
  logout: 'Logged out: the session has ended',
  'password-changed': 'The password changed: log in again',
  'account-disabled': 'The account has been disabled',
  'account-changed': 'The account’s role or unit changed: log in again',
  'password-reset': 'An administrator reset the password: log in with the new one',
};

interface SocketSession {
  userId: number;
  tokenVersion: number;
}

/**
 * socket.io at /socket.io. Clients authenticate with their access token (handshake `auth.token`);
 * each socket joins its user's room, its unit's room and its role's room, and hears `workOrder.changed` for orders that
 * concern them (supervisors and administrators also `hotspot.changed`, HotspotPushListener).
 * A socket lives no longer than its session: token expiry, logout and a new password close it.
 * Which origins may connect, and how rooms span several processes and nodes, is RealtimeIoAdapter's job.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayConnection, OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeGateway.name);
  private recheckTimer: NodeJS.Timeout | null = null;

  @WebSocketServer()
  server: Server;

  constructor(
    private readonly sessions: SessionService,
    private readonly users: UserAccountsService,
  ) {}

  afterInit(): void {
    this.recheckTimer = setInterval(() => {
      this.closeStaleSockets().catch((error: unknown) => this.logger.warn(`Re-checking sockets failed: ${String(error)}`));
    }, SOCKET_RECHECK_MS);
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
  }

  async handleConnection(socket: Socket): Promise<void> {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string' || token.length === 0) throw new Error('No access token in the handshake (auth.token)');
      const { user, payload } = await this.sessions.authenticate(token);
      (socket.data as Partial<SocketSession>) = { userId: user.id, tokenVersion: payload.ver };
      // The auditor (安全审计员) works on the audit trail only: it hears its own notifications, not the center's
      // work-order changes.
      await socket.join(user.role === 'auditor' ? [userRoom(user.id)] : [userRoom(user.id), unitRoom(user.unitId), roleRoom(user.role)]);
      // The socket lives no longer than its token: the client reconnects with a fresh one.
      const timer = setTimeout(
        () => this.close(socket, 'The access token has expired: reconnect with a fresh one'),
        Math.max(0, payload.exp * 1000 - Date.now()),
      );
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
      socket.emit('ready', { userId: user.id, unitId: user.unitId });
    } catch (error) {
      this.close(socket, error instanceof Error ? error.message : 'Authentication failed');
    }
  }

  /**
   * Closes the user's sockets in every process: both calls go through the adapter (cluster or Redis), in order, so
   * each socket gets the message before it is closed. No round trip: fetchSockets() would wait for every process.
   */
  @OnEvent('user.sessionsEnded')
  onSessionsEnded(event: SessionsEndedEvent): void {
    if (!this.server) return;
    const sockets = this.server.in(userRoom(event.userId));
    sockets.emit('unauthorized', { message: SESSION_END_MESSAGES[event.reason] });
    sockets.disconnectSockets(true);
  }

  @OnEvent('workOrder.changed')
  onWorkOrderChanged(event: WorkOrderChangedEvent): void {
    if (!this.server) return;
    const rooms = [...event.unitIds.map(unitRoom), ...event.userIds.map(userRoom)];
    this.server.to(rooms).emit('workOrder.changed', event);
    this.logger.debug(`workOrder.changed ${event.number} ${event.action} → ${rooms.length} rooms`);
  }

  /**
   * Closes this process's sockets whose user was deactivated or whose token version moved on without an event (the
   * set-password CLI ends sessions from another process, with no socket.io adapter to tell).
   */
  async closeStaleSockets(): Promise<void> {
    if (!this.server) return;
    const sockets = [...this.server.of('/').sockets.values()].filter((s) => typeof (s.data as Partial<SocketSession>).userId === 'number');
    if (sockets.length === 0) return;
    const states = await this.users.findSessionStates([...new Set(sockets.map((s) => (s.data as SocketSession).userId))]);
    const current = new Map(states.map((state) => [state.id, state.active ? state.tokenVersion : null]));
    for (const socket of sockets) {
      const { userId, tokenVersion } = socket.data as SocketSession;
      if (current.get(userId) !== tokenVersion) this.close(socket, 'The session has ended (logged out, the password changed or the account was deactivated)');
    }
  }

  private close(socket: Socket, message: string): void {
    socket.emit('unauthorized', { message });
    socket.disconnect(true);
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AgentPresenceService } from '../cti/agent-presence.service';
import { ACD_AGENT_ROLES } from '../cti/cti.enums';
import type { SessionsEndedEvent } from '../events/app-events';
import { RealtimeGateway, roleRoom, userRoom } from './realtime.gateway';

const USER_ROOM = /^user:(\d+)$/;
const AGENT_ROOMS = new Set(ACD_AGENT_ROLES.map(roleRoom));

/**
 * 坐席在线: an agent goes offline when they log out (`user.sessionsEnded`), and when their last console socket has been
 * gone for CTI_AGENT_GRACE — a page reload or a short network loss reconnects within it and changes nothing. It watches
 * this process's sockets through the adapter's room events (an agent's socket joins `role:agent` and `user:<id>`; the
 * user room is deleted here when their last socket here leaves), and before taking anyone offline asks every process
 * whether a socket of theirs is left (`fetchSockets()` of the user room, which the cluster and Redis adapters answer
 * across processes and nodes). Agents who never opened a console (a PBX's agents driven over HTTP) are never touched.
 * What offline means during a call is AgentPresenceService's rule.
 */
@Injectable()
export class CtiAgentPresenceListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CtiAgentPresenceListener.name);
  /** Agents whose last socket in this process left, waiting out the grace period. */
  private readonly pending = new Map<number, NodeJS.Timeout>();
  /** Users seen connecting here as agents (their user room's deletion is watched). */
  private readonly agents = new Set<number>();
  /** Shutting down: the sockets the server closes now are not agents leaving (and the database is going). */
  private stopped = false;

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly presence: AgentPresenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // No server in contexts without sockets.
    if (!this.gateway.server) return;
    const adapter = this.gateway.server.of('/').adapter;
    adapter.on('join-room', (room: string, socketId: string) => this.joined(room, socketId));
    adapter.on('delete-room', (room: string) => this.roomDeleted(room));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  @OnEvent('user.sessionsEnded')
  onSessionsEnded(event: SessionsEndedEvent): void {
    this.cancel(event.userId);
    this.run(this.presence.departed(event.userId, `the session ended (${event.reason})`), event.userId);
  }

  private joined(room: string, socketId: string): void {
    const user = USER_ROOM.exec(room);
    if (user) {
      this.cancel(Number(user[1]));
      return;
    }
    if (!AGENT_ROOMS.has(room)) return;
    const userId = (this.gateway.server.of('/').sockets.get(socketId)?.data as { userId?: unknown } | undefined)?.userId;
    if (typeof userId !== 'number') return;
    this.agents.add(userId);
    this.run(this.presence.returned(userId), userId);
  }

  private roomDeleted(room: string): void {
    const user = USER_ROOM.exec(room);
    if (!user) return;
    const userId = Number(user[1]);
    if (this.stopped || !this.agents.has(userId)) return;
    this.cancel(userId);
    const timer = setTimeout(() => {
      this.pending.delete(userId);
      this.run(this.checkGone(userId), userId);
    }, this.config.cti.agentGraceSeconds * 1000);
    timer.unref();
    this.pending.set(userId, timer);
  }

  /** After the grace period: offline unless a socket of theirs is open in some process. */
  private async checkGone(userId: number): Promise<void> {
    const sockets = await this.gateway.server.in(userRoom(userId)).fetchSockets();
    if (sockets.length > 0) return;
    this.agents.delete(userId);
    await this.presence.departed(userId, `no console for ${this.config.cti.agentGraceSeconds} s`);
  }

  private cancel(userId: number): void {
    const timer = this.pending.get(userId);
    if (!timer) return;
    clearTimeout(timer);
    this.pending.delete(userId);
  }

  private run(work: Promise<unknown>, userId: number): void {
    work.catch((error: unknown) => this.logger.warn(`Agent ${userId}'s presence could not be updated: ${String(error)}`));
  }
}

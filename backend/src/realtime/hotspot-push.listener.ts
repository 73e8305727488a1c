import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { HotspotChangedEvent } from '../events/app-events';
import type { Role } from '../users/role';
import { RealtimeGateway, roleRoom } from './realtime.gateway';

/** The roles that watch hotspots (多人反映) as they form and grow: the center's supervisors and administrators. */
export const HOTSPOT_WATCHER_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * Pushes `hotspot.changed` (the event as emitted) to the sockets of the hotspot watchers, in every process (the
 * adapter of RealtimeIoAdapter). Units do not hear it: they find the hotspots touching their orders with GET /api/hotspots.
 */
@Injectable()
export class HotspotPushListener {
  private readonly logger = new Logger(HotspotPushListener.name);

  constructor(private readonly gateway: RealtimeGateway) {}

  @OnEvent('hotspot.changed')
  onHotspotChanged(event: HotspotChangedEvent): void {
    if (!this.gateway.server) return;
    this.gateway.server.to(HOTSPOT_WATCHER_ROLES.map(roleRoom)).emit('hotspot.changed', event);
    this.logger.debug(`hotspot.changed ${event.hotspotId} (${event.change}, ${event.memberCount} orders)`);
  }
}

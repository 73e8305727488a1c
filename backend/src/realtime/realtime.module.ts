import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CtiModule } from '../cti/cti.module';
import { UsersModule } from '../users/users.module';
import { CtiAgentPresenceListener } from './cti-agent-presence.listener';
import { CtiAgentStateListener } from './cti-agent-state.listener';
import { CtiScreenPopListener } from './cti-screen-pop.listener';
import { HotspotPushListener } from './hotspot-push.listener';
import { NotificationPushListener } from './notification-push.listener';
import { RealtimeGateway } from './realtime.gateway';

@Module({
  imports: [AuthModule, UsersModule, CtiModule],
  providers: [RealtimeGateway, NotificationPushListener, HotspotPushListener, CtiScreenPopListener, CtiAgentStateListener, CtiAgentPresenceListener],
})
export class RealtimeModule {}

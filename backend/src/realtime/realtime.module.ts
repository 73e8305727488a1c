import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { CtiScreenPopListener } from './cti-screen-pop.listener';
import { HotspotPushListener } from './hotspot-push.listener';
import { NotificationPushListener } from './notification-push.listener';
import { RealtimeGateway } from './realtime.gateway';

@Module({ imports: [AuthModule, UsersModule], providers: [RealtimeGateway, NotificationPushListener, HotspotPushListener, CtiScreenPopListener] })
export class RealtimeModule {}

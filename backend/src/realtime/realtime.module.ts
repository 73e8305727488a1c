import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { HotspotPushListener } from './hotspot-push.listener';
import { NotificationPushListener } from './notification-push.listener';
import { RealtimeGateway } from './realtime.gateway';

@Module({ imports: [AuthModule, UsersModule], providers: [RealtimeGateway, NotificationPushListener, HotspotPushListener] })
export class RealtimeModule {}

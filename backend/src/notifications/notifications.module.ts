import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AfterCommit } from './after-commit';
import { LoggingSmsChannel } from './logging-sms.channel';
import { NOTIFICATION_CHANNEL, NOTIFICATION_CHANNEL_LOGGER, URGENT_NOTIFICATION_KINDS } from './notification-channel';
import { DEFAULT_URGENT_NOTIFICATION_KINDS } from './notification-kind';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { UsersModule } from '../users/users.module';

/**
 * Notifications per user: stored, listed for the bell, pushed over socket.io after commit (realtime's
 * NotificationPushListener) and, for urgent kinds, sent over the outbound channel. Other modules import this one
 * and call NotificationsService. A deployment replaces the channel by providing NOTIFICATION_CHANNEL.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification]), UsersModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    AfterCommit,
    { provide: NOTIFICATION_CHANNEL_LOGGER, useValue: new Logger('NotificationChannel') },
    { provide: NOTIFICATION_CHANNEL, useClass: LoggingSmsChannel },
    { provide: URGENT_NOTIFICATION_KINDS, useValue: DEFAULT_URGENT_NOTIFICATION_KINDS },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}

import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { NOTIFICATION_CHANNEL_LOGGER, type NotificationChannel, type OutboundNotification } from './notification-channel';

/**
 * The default outbound channel: it only writes what an SMS gateway would be asked to send to the log. No external
 * call: the platform runs inside the center's network and an SMS gateway is a deployment's own choice.
 */
@Injectable()
export class LoggingSmsChannel implements NotificationChannel {
  readonly name = 'sms';

  constructor(@Inject(NOTIFICATION_CHANNEL_LOGGER) private readonly logger: LoggerService) {}

  send(notification: OutboundNotification): Promise<void> {
    this.logger.log(
      `SMS (not sent, logging channel) to user ${notification.userId}: [${notification.kind}] ${notification.title}` +
        (notification.workOrderId === null ? '' : ` (work order ${notification.workOrderId})`) +
        ` — notification ${notification.notificationId}`,
    );
    return Promise.resolve();
  }
}

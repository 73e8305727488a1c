import type { NotificationKind } from './notification-kind';

/** What an outbound channel gets: the stored notification and its addressee. */
export interface OutboundNotification {
  notificationId: number;
  userId: number;
  kind: NotificationKind;
  title: string;
  body: string | null;
  workOrderId: number | null;
  createdAt: Date;
}

/**
 * A way out of the platform for urgent notifications (SMS, a government messaging app). It is called after the
 * notification is committed, once per addressee, and must do its own lookups (a phone number) and retries:
 * a failure is logged and never undoes the stored notification.
 */
export interface NotificationChannel {
  /** A short name for the logs, e.g. 'sms'. */
  readonly name: string;
  send(notification: OutboundNotification): Promise<void>;
}

/** Injection token of the outbound channel; provide another NotificationChannel under it to replace the logging default. */
export const NOTIFICATION_CHANNEL = Symbol('NOTIFICATION_CHANNEL');

/** Injection token of the kinds that go out over NOTIFICATION_CHANNEL (readonly NotificationKind[]). */
export const URGENT_NOTIFICATION_KINDS = Symbol('URGENT_NOTIFICATION_KINDS');

/** Injection token of the logger the logging channel writes to (a Nest LoggerService). */
export const NOTIFICATION_CHANNEL_LOGGER = Symbol('NOTIFICATION_CHANNEL_LOGGER');

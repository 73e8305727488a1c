import type { NotificationKind } from './notification-kind';

/** Any JSON value; the payload is stored as JSON text and must survive a round trip unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Facts for the console to act on (e.g. `{ deadline: 'replyDueAt', dueAt: '…', level: 2 }`). */
export type NotificationPayload = { [key: string]: JsonValue };

/** What the notifying code says; the service adds the addressee, the id and the time. */
export interface NotificationContent {
  kind: NotificationKind;
  /** At most 200 characters; a longer one is shortened with an ellipsis rather than refused. */
  title: string;
  body?: string | null;
  workOrderId?: number | null;
  payload?: NotificationPayload | null;
}

/** A notification as the API answers it and the socket pushes it. */
export interface NotificationView {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string | null;
  workOrderId: number | null;
  payload: NotificationPayload | null;
  /** UTC ISO date-time; null while unread. */
  readAt: string | null;
  createdAt: string;
}

export interface NotificationList {
  items: NotificationView[];
  /** The caller's unread notifications in all, whatever the page and filter. */
  unreadCount: number;
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

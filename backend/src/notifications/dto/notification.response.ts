import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_KINDS, NOTIFICATION_TITLE_MAX_LENGTH, type NotificationKind } from '../notification-kind';
import type { NotificationList, NotificationPayload, NotificationView } from '../notification.view';

const dateTime = { type: String, format: 'date-time' } as const;

export class NotificationResponse implements NotificationView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ enum: NOTIFICATION_KINDS, enumName: 'NotificationKind', description: 'What it is about; the console picks icon and colour by it' })
  kind: NotificationKind;

  @ApiProperty({ maxLength: NOTIFICATION_TITLE_MAX_LENGTH, example: '工单 20261122000001 已逾期' })
  title: string;

  @ApiProperty({ type: String, nullable: true })
  body: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The work order it is about, if any' })
  workOrderId: number | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Facts for the console (which deadline, the due time, the escalation level…)' })
  payload: NotificationPayload | null;

  @ApiProperty({ ...dateTime, nullable: true, description: 'When the user read it; null while unread' })
  readAt: string | null;

  @ApiProperty(dateTime)
  createdAt: string;
}

export class NotificationListResponse implements NotificationList {
  @ApiProperty({ type: [NotificationResponse], description: 'Newest first' })
  items: NotificationResponse[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The caller’s unread notifications in all (for the bell), whatever the page and filter' })
  unreadCount: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next, older page; null on the last page' })
  nextCursor: string | null;
}

export class ReadAllNotificationsResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many unread notifications were marked read' })
  updated: number;
}

import { http } from './http';
import type { AppNotification, NotificationList, NotificationQuery } from './models';

export function listNotifications(query: NotificationQuery = {}, signal?: AbortSignal): Promise<NotificationList> {
  return http.get<NotificationList>('/notifications', { params: query, signal });
}

export function markNotificationRead(id: number): Promise<AppNotification> {
  return http.post<AppNotification>(`/notifications/${id}/read`);
}

export function markAllNotificationsRead(): Promise<{ updated: number }> {
  return http.post<{ updated: number }>('/notifications/read-all');
}

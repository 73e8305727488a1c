import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch, type WatchStopHandle } from 'vue';
import * as notificationsApi from '@/api/notifications';
import type { AppNotification } from '@/api/models';
import type { HotspotChangedEvent } from '@/api/hotspots';
import { connectRealtime, type RealtimeSocket, type WorkOrderChangedEvent } from '@/realtime/socket';
import { useUserStore } from './user';

const PAGE = 20;
/** Orders whose latest `workOrder.changed` is kept for views that start following them (onWorkOrderChanged's replay). */
const RECENT_CHANGES = 200;

/**
 * The bell: the newest notifications and the unread count, kept live over socket.io (`notification.created`).
 * The socket follows the session: it opens with the access token, reconnects with the new one after a refresh, and
 * closes on logout. When the server closes it (expired token), a list request renews the token through the HTTP
 * wrapper; the new token then reopens the socket.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const userStore = useUserStore();
  const items = ref<AppNotification[]>([]);
  const unreadCount = ref(0);
  const connected = ref(false);
  const socket = shallowRef<RealtimeSocket | null>(null);
  let stopFollowing: WatchStopHandle | null = null;

  const hasUnread = computed(() => unreadCount.value > 0);

  async function refresh(): Promise<void> {
    const page = await notificationsApi.listNotifications({ limit: PAGE });
    items.value = page.items;
    unreadCount.value = page.unreadCount;
  }

  /** Who listens to `workOrder.changed`; `null` = the socket reconnected, anything may have changed meanwhile. */
  const workOrderListeners = new Set<(event: WorkOrderChangedEvent | null) => void>();

  /**
   * The latest change heard of each order lately (at most RECENT_CHANGES orders, the oldest dropped): a view that starts
   * following an order it has just been given (the answer of a registration) may have missed a change that came over
   * the socket before it was mounted — the repeat detector marks an order right after the registration's answer.
   */
  const recentChanges = new Map<number, WorkOrderChangedEvent>();

  /**
   * Follows order changes while the socket is up; returns the function that stops following. `replay`: orders whose
   * latest change heard so far is passed to the listener at once (it compares versions with what it shows).
   */
  function onWorkOrderChanged(listener: (event: WorkOrderChangedEvent | null) => void, replay: readonly number[] = []): () => void {
    workOrderListeners.add(listener);
    for (const id of replay) {
      const latest = recentChanges.get(id);
      if (latest) listener(latest);
    }
    return () => workOrderListeners.delete(listener);
  }

  /** The latest change heard of an order lately (undefined: none kept): a view that has just read the order compares versions. */
  function latestChangeOf(workOrderId: number): WorkOrderChangedEvent | undefined {
    return recentChanges.get(workOrderId);
  }

  /** Who listens to `hotspot.changed` (supervisors and administrators receive it). */
  const hotspotListeners = new Set<(event: HotspotChangedEvent) => void>();

  /** Follows hotspots forming and growing while the socket is up; returns the function that stops following. */
  function onHotspotChanged(listener: (event: HotspotChangedEvent) => void): () => void {
    hotspotListeners.add(listener);
    return () => hotspotListeners.delete(listener);
  }

  function announceHotspot(event: HotspotChangedEvent): void {
    for (const listener of [...hotspotListeners]) listener(event);
  }

  function announce(event: WorkOrderChangedEvent | null): void {
    if (event) {
      const known = recentChanges.get(event.workOrderId);
      if (!known || known.version <= event.version) {
        recentChanges.delete(event.workOrderId);
        recentChanges.set(event.workOrderId, event);
        if (recentChanges.size > RECENT_CHANGES) recentChanges.delete(recentChanges.keys().next().value as number);
      }
    }
    for (const listener of [...workOrderListeners]) listener(event);
  }

  function received(notification: AppNotification): void {
    if (items.value.some((n) => n.id === notification.id)) return;
    items.value = [notification, ...items.value].slice(0, PAGE);
    if (notification.readAt === null) unreadCount.value += 1;
  }

  function disconnect(): void {
    socket.value?.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
    connected.value = false;
  }

  function connect(): void {
    disconnect();
    if (!userStore.accessToken) return;
    const next = connectRealtime(() => userStore.accessToken);
    let everConnected = false;
    next.on('connect', () => {
      connected.value = true;
      // After a drop, lists and open orders reload: changes made meanwhile were not heard.
      if (everConnected) announce(null);
      everConnected = true;
      // Whatever arrived while the socket was down.
      void refresh().catch(() => undefined);
    });
    next.on('disconnect', () => {
      connected.value = false;
    });
    next.on('notification.created', received);
    next.on('workOrder.changed', announce);
    next.on('hotspot.changed', announceHotspot);
    next.on('unauthorized', () => {
      connected.value = false;
      // The token has expired or the session ended: any authenticated call renews the token (or logs out).
      void refresh().catch(() => undefined);
    });
    socket.value = next;
  }

  /** Starts following the session; again after {@link stop} (the bell is mounted anew, e.g. back from the 404 page). */
  function start(): void {
    if (stopFollowing) return;
    stopFollowing = watch(
      () => userStore.accessToken,
      (token, previous) => {
        if (token === previous && socket.value) return;
        if (token) connect();
        else {
          disconnect();
          items.value = [];
          unreadCount.value = 0;
        }
      },
      { immediate: true },
    );
  }

  /** Stops following the session and closes the socket, until the next {@link start}. */
  function stop(): void {
    stopFollowing?.();
    stopFollowing = null;
    disconnect();
  }

  async function markRead(id: number): Promise<void> {
    const updated = await notificationsApi.markNotificationRead(id);
    const before = items.value.find((n) => n.id === id);
    if (before && before.readAt === null) unreadCount.value = Math.max(0, unreadCount.value - 1);
    items.value = items.value.map((n) => (n.id === id ? updated : n));
  }

  async function markAllRead(): Promise<void> {
    await notificationsApi.markAllNotificationsRead();
    const now = new Date().toISOString();
    items.value = items.value.map((n) => (n.readAt === null ? { ...n, readAt: now } : n));
    unreadCount.value = 0;
  }

  return { items, unreadCount, hasUnread, connected, refresh, received, start, stop, markRead, markAllRead, onWorkOrderChanged, latestChangeOf, onHotspotChanged };
});

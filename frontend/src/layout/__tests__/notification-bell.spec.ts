import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '@/api/notifications';
import type { AppNotification, CurrentUser } from '@/api/models';
import { connectRealtime } from '@/realtime/socket';
import { useUserStore } from '@/store/modules/user';
import { mountView, StubPage } from '@/testing/mount-view';
import NotificationBell from '../components/NotificationBell.vue';

vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(),
  markAllNotificationsRead: vi.fn(),
}));

/** A stand-in for the socket.io client: records handlers, lets the test play the server. */
class FakeSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  disconnected = false;
  constructor(readonly token: () => string | null) {}
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  disconnect() {
    this.disconnected = true;
    return this;
  }
  serverSends(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

const sockets: FakeSocket[] = [];
vi.mock('@/realtime/socket', () => ({ connectRealtime: vi.fn() }));

const admin: CurrentUser = { id: 1, username: 'admin', displayName: '管理员', role: 'admin', unitId: 1, unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false };

function notification(overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id: 1,
    kind: 'deadline.yellow',
    title: '工单 20261201000001 签收即将超期',
    body: null,
    workOrderId: 42,
    payload: null,
    readAt: null,
    createdAt: '2026-12-01T02:00:00.000Z',
    ...overrides,
  };
}

async function mountBell() {
  const mounted = await mountView({
    path: '/',
    routes: [
      { path: '/', component: NotificationBell },
      { path: '/work-orders/:id', name: 'work-order-detail', component: StubPage },
    ],
  });
  // mountView installs its own Pinia; the session is set in it before the bell starts following it.
  const store = useUserStore();
  store.setSession({ accessToken: 'token-1', refreshToken: 'r1', expiresIn: 900, user: admin });
  return { ...mounted, store };
}

const badge = () => document.body.querySelector('[data-test="bell-count"] sup');

describe('the notification bell', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    sockets.length = 0;
    vi.mocked(connectRealtime).mockReset();
    vi.mocked(connectRealtime).mockImplementation((getToken) => {
      const socket = new FakeSocket(getToken);
      sockets.push(socket);
      return socket as unknown as ReturnType<typeof connectRealtime>;
    });
    vi.mocked(listNotifications).mockReset();
    vi.mocked(listNotifications).mockResolvedValue({ items: [notification()], unreadCount: 3, nextCursor: null });
    vi.mocked(markNotificationRead).mockReset();
    vi.mocked(markAllNotificationsRead).mockReset();
  });

  it('connects with the access token, shows the unread count and counts pushed notifications live', async () => {
    const { wrapper } = await mountBell();
    await flushPromises();
    expect(sockets).toHaveLength(1);
    expect(sockets[0].token()).toBe('token-1');

    sockets[0].serverSends('connect');
    await flushPromises();
    expect(badge()?.textContent?.trim()).toBe('3');

    sockets[0].serverSends('notification.created', notification({ id: 2, kind: 'deadline.red', title: '工单已超期' }));
    await flushPromises();
    expect(badge()?.textContent?.trim()).toBe('4');

    // The same notification again (a reconnect's refresh racing the push) is not counted twice.
    sockets[0].serverSends('notification.created', notification({ id: 2, kind: 'deadline.red', title: '工单已超期' }));
    await flushPromises();
    expect(badge()?.textContent?.trim()).toBe('4');

    await wrapper.find('[data-test="bell"]').trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect(document.body.querySelectorAll('[data-test="bell-item"]').length).toBeGreaterThan(0));
  });

  it('marks one and then all read', async () => {
    await mountBell();
    sockets[0].serverSends('connect');
    await flushPromises();
    vi.mocked(markNotificationRead).mockResolvedValue(notification({ readAt: '2026-12-01T03:00:00.000Z' }));
    vi.mocked(markAllNotificationsRead).mockResolvedValue({ updated: 2 });

    (document.body.querySelector('[data-test="bell"]') as HTMLElement).click();
    await vi.waitFor(() => expect(document.body.querySelector('[data-test="bell-read"]')).not.toBeNull());
    (document.body.querySelector('[data-test="bell-read"]') as HTMLElement).click();
    await flushPromises();
    expect(markNotificationRead).toHaveBeenCalledWith(1);
    expect(badge()?.textContent?.trim()).toBe('2');
    expect(document.body.querySelector('[data-test="bell-read"]')).toBeNull();

    (document.body.querySelector('[data-test="bell-read-all"]') as HTMLElement).click();
    await flushPromises();
    expect(markAllNotificationsRead).toHaveBeenCalled();
    expect((badge() as HTMLElement | null)?.style.display ?? 'none').toBe('none');
  });

  it('reconnects with the fresh token after a refresh, and closes on logout', async () => {
    const { store } = await mountBell();
    await flushPromises();
    const first = sockets[0];

    // The server closes the socket when the token expires; the console renews it (here: the HTTP wrapper's refresh).
    first.serverSends('unauthorized', { message: 'The access token has expired: reconnect with a fresh one' });
    await flushPromises();
    expect(listNotifications).toHaveBeenCalled();
    store.setSession({ accessToken: 'token-2', refreshToken: 'r2', expiresIn: 900, user: admin });
    await flushPromises();

    expect(first.disconnected).toBe(true);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].token()).toBe('token-2');

    store.logout();
    await flushPromises();
    expect(sockets[1].disconnected).toBe(true);
    expect(sockets).toHaveLength(2);
  });
});

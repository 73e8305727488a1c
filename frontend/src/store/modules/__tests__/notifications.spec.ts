import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listNotifications } from '@/api/notifications';
import type { CurrentUser } from '@/api/models';
import { connectRealtime } from '@/realtime/socket';
import { useNotificationsStore } from '../notifications';
import { useUserStore } from '../user';

vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(),
  markNotificationRead: vi.fn(),
  markAllNotificationsRead: vi.fn(),
}));
vi.mock('@/realtime/socket', () => ({ connectRealtime: vi.fn() }));

class FakeSocket {
  disconnected = false;
  constructor(readonly token: () => string | null) {}
  on() {
    return this;
  }
  removeAllListeners() {
    return this;
  }
  disconnect() {
    this.disconnected = true;
    return this;
  }
}

const admin: CurrentUser = { id: 1, username: 'admin', displayName: '管理员', role: 'admin', unitId: 1, unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false };

describe('notifications store', () => {
  const sockets: FakeSocket[] = [];

  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    sockets.length = 0;
    vi.mocked(connectRealtime).mockReset();
    vi.mocked(connectRealtime).mockImplementation((getToken) => {
      const socket = new FakeSocket(getToken);
      sockets.push(socket);
      return socket as unknown as ReturnType<typeof connectRealtime>;
    });
    vi.mocked(listNotifications).mockReset();
    vi.mocked(listNotifications).mockResolvedValue({ items: [], unreadCount: 0, nextCursor: null });
  });

  it('reconnects when started again after a stop (the bell remounted, e.g. back from the 404 page)', async () => {
    const user = useUserStore();
    user.setSession({ accessToken: 'token-1', refreshToken: 'r1', expiresIn: 900, user: admin });
    const sut = useNotificationsStore();

    sut.start();
    await flushPromises();
    expect(sockets).toHaveLength(1);

    sut.stop();
    await flushPromises();
    expect(sockets[0].disconnected).toBe(true);

    sut.start();
    await flushPromises();
    expect(sockets).toHaveLength(2);
    expect(sockets[1].disconnected).toBe(false);
    expect(sockets[1].token()).toBe('token-1');

    // It follows the session again: a new token reopens the socket, a logout closes it.
    user.setSession({ accessToken: 'token-2', refreshToken: 'r2', expiresIn: 900, user: admin });
    await flushPromises();
    expect(sockets).toHaveLength(3);
    expect(sockets[1].disconnected).toBe(true);
    user.logout();
    await flushPromises();
    expect(sockets[2].disconnected).toBe(true);
    expect(sockets).toHaveLength(3);
  });

  it('stays closed while stopped, whatever the session does', async () => {
    const user = useUserStore();
    user.setSession({ accessToken: 'token-1', refreshToken: 'r1', expiresIn: 900, user: admin });
    const sut = useNotificationsStore();
    sut.start();
    await flushPromises();
    sut.stop();

    user.setSession({ accessToken: 'token-2', refreshToken: 'r2', expiresIn: 900, user: admin });
    await flushPromises();

    expect(sockets).toHaveLength(1);
  });

  it('start is idempotent while running: one socket', async () => {
    useUserStore().setSession({ accessToken: 'token-1', refreshToken: 'r1', expiresIn: 900, user: admin });
    const sut = useNotificationsStore();

    sut.start();
    sut.start();
    await flushPromises();

    expect(sockets).toHaveLength(1);
  });
});

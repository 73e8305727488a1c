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
  readonly handlers = new Map<string, (payload: unknown) => void>();
  constructor(readonly token: () => string | null) {}
  on(event: string, handler: (payload: unknown) => void) {
    this.handlers.set(event, handler);
    return this;
  }
  /** What the server would send. */
  emit(event: string, payload: unknown) {
    this.handlers.get(event)?.(payload);
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

  it('passes the latest change heard of an order to a view that starts following it (replay), and only to it', async () => {
    useUserStore().setSession({ accessToken: 'token-1', refreshToken: 'r1', expiresIn: 900, user: admin });
    const sut = useNotificationsStore();
    sut.start();
    await flushPromises();
    const change = (workOrderId: number, version: number) => ({ workOrderId, number: `N${workOrderId}`, action: 'repeat-detected', fromStatus: 'registered', toStatus: 'registered', version, actorId: null, unitIds: [], userIds: [1], at: '2026-12-07T03:00:00.000Z' });
    // The detector's mark arrives before the panel that shows order 77 is mounted; a late, older event changes nothing.
    sockets[0].emit('workOrder.changed', change(77, 2));
    sockets[0].emit('workOrder.changed', change(77, 1));
    sockets[0].emit('workOrder.changed', change(78, 5));

    const panel = vi.fn();
    sut.onWorkOrderChanged(panel, [77]);
    expect(panel).toHaveBeenCalledTimes(1);
    expect(panel).toHaveBeenCalledWith(expect.objectContaining({ workOrderId: 77, version: 2 }));
    const list = vi.fn();
    sut.onWorkOrderChanged(list);
    expect(list).not.toHaveBeenCalled();

    // Later changes reach both; only the newest RECENT_CHANGES (200) orders are kept for replay.
    sockets[0].emit('workOrder.changed', change(77, 3));
    expect(panel).toHaveBeenLastCalledWith(expect.objectContaining({ version: 3 }));
    expect(list).toHaveBeenCalledTimes(1);
    for (let id = 1000; id < 1200; id++) sockets[0].emit('workOrder.changed', change(id, 1));
    const late = vi.fn();
    sut.onWorkOrderChanged(late, [77, 1199]);
    expect(late.mock.calls.map(([event]) => (event as { workOrderId: number }).workOrderId)).toEqual([1199]);
    // The same kept changes answer a view that has just read an order (latestChangeOf).
    expect(sut.latestChangeOf(1199)).toEqual(expect.objectContaining({ workOrderId: 1199, version: 1 }));
    expect(sut.latestChangeOf(77)).toBeUndefined();
  });
});

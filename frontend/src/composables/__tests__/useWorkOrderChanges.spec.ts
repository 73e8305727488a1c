import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { listNotifications } from '@/api/notifications';
import { connectRealtime, type WorkOrderChangedEvent } from '@/realtime/socket';
import { useNotificationsStore } from '@/store/modules/notifications';
import { useUserStore } from '@/store/modules/user';
import { useWorkOrderChanges } from '../useWorkOrderChanges';

vi.mock('@/api/notifications', () => ({ listNotifications: vi.fn(), markNotificationRead: vi.fn(), markAllNotificationsRead: vi.fn() }));
vi.mock('@/realtime/socket', () => ({ connectRealtime: vi.fn() }));

/** A socket whose server events the test fires by hand. */
class FakeSocket {
  private readonly handlers = new Map<string, ((payload?: unknown) => void)[]>();
  on(name: string, handler: (payload?: unknown) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
    return this;
  }
  fire(name: string, payload?: unknown) {
    for (const handler of this.handlers.get(name) ?? []) handler(payload);
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  disconnect() {
    return this;
  }
}

const changed = (workOrderId: number): WorkOrderChangedEvent => ({
  workOrderId,
  number: `2026120100000${workOrderId}`,
  action: 'accept',
  fromStatus: 'dispatched',
  toStatus: 'processing',
  version: 3,
  actorId: 5,
  unitIds: [2],
  userIds: [],
  at: '2026-12-01T02:00:00.000Z',
});

describe('useWorkOrderChanges', () => {
  let socket: FakeSocket;

  beforeEach(async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.mocked(listNotifications).mockResolvedValue({ items: [], unreadCount: 0, nextCursor: null });
    vi.mocked(connectRealtime).mockImplementation(() => {
      socket = new FakeSocket();
      return socket as unknown as ReturnType<typeof connectRealtime>;
    });
    useUserStore().setSession({
      accessToken: 'token-1',
      refreshToken: 'r1',
      expiresIn: 900,
      user: { id: 1, username: 'dispatcher1', displayName: '派单员', role: 'dispatcher', unitId: 1, unit: null, active: true, mustChangePassword: false },
    });
    useNotificationsStore().start();
    await flushPromises();
  });

  function mountFollower(heard: (event: WorkOrderChangedEvent | null) => void) {
    return mount(defineComponent(() => {
      useWorkOrderChanges(heard);
      return () => h('div');
    }));
  }

  it('passes every workOrder.changed the socket hears to the component while it lives', () => {
    const heard = vi.fn();
    const wrapper = mountFollower(heard);
    socket.fire('connect');
    socket.fire('workOrder.changed', changed(7));
    socket.fire('workOrder.changed', changed(8));
    expect(heard.mock.calls.map(([event]) => (event as WorkOrderChangedEvent).workOrderId)).toEqual([7, 8]);

    wrapper.unmount();
    socket.fire('workOrder.changed', changed(9));
    expect(heard).toHaveBeenCalledTimes(2);
  });

  it('says "anything may have changed" (null) after the socket reconnects, not on the first connection', () => {
    const heard = vi.fn();
    mountFollower(heard);
    socket.fire('connect');
    expect(heard).not.toHaveBeenCalled();
    socket.fire('disconnect');
    socket.fire('connect');
    expect(heard).toHaveBeenCalledWith(null);
  });

  it('serves several components at once, each stopping on its own', () => {
    const first = vi.fn();
    const second = vi.fn();
    const a = mountFollower(first);
    mountFollower(second);
    a.unmount();
    socket.fire('workOrder.changed', changed(3));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});

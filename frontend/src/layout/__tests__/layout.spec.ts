import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { logout as logoutApi } from '@/api/auth';
import { ApiError } from '@/api/api-error';
import type { CurrentUser } from '@/api/models';
import { LOCALE_STORAGE_KEY, useAppLocale } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import { mountView, StubPage } from '@/testing/mount-view';
import Layout from '../index.vue';

// The header's bell opens a socket and lists notifications: neither has a server here.
vi.mock('@/realtime/socket', () => ({
  connectRealtime: () => ({ on() {}, removeAllListeners() {}, disconnect() {} }),
}));
// "Log out" ends the session on the server first.
vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn(), logout: vi.fn() }));
vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(() => Promise.resolve({ items: [], unreadCount: 0, nextCursor: null })),
  markNotificationRead: vi.fn(),
  markAllNotificationsRead: vi.fn(),
}));

const dispatcher: CurrentUser = {
  id: 2,
  username: 'li.qiang',
  displayName: '李强',
  role: 'dispatcher',
  unitId: 1,
  unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false,
};

/** Shows the Element Plus language in use, to check that it follows the console's. */
const ElementLocaleProbe = defineComponent(() => {
  const { elementLocale } = useAppLocale();
  return () => h('span', { 'data-test': 'element-locale' }, elementLocale.value.name);
});

async function mountLayout() {
  const mounted = await mountView({
    path: '/work-orders',
    routes: [
      { path: '/login', name: 'login', component: StubPage },
      {
        path: '/',
        component: Layout,
        children: [{ path: '/work-orders', component: ElementLocaleProbe, meta: { title: 'menu.workOrders' } }],
      },
    ],
  });
  const store = useUserStore();
  store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: dispatcher });
  await flushPromises();
  return { ...mounted, store };
}

describe('console layout', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    vi.mocked(logoutApi).mockReset();
    vi.mocked(logoutApi).mockResolvedValue(undefined);
  });

  it('shows the user, their role and unit in the header, and the menu', async () => {
    const { wrapper } = await mountLayout();

    const user = wrapper.find('[data-test="current-user"]').text();
    expect(user).toContain('李强');
    expect(user).toContain('派单员');
    expect(user).toContain('市民热线服务中心');
    expect(wrapper.find('.el-menu').text()).toContain('工单管理');
  });

  it('switches the language of the console and of Element Plus, and remembers it', async () => {
    const { wrapper } = await mountLayout();
    expect(wrapper.find('[data-test="element-locale"]').text()).toBe('zh-cn');

    await wrapper.find('.language-switch').trigger('click');
    await vi.waitFor(() => expect(document.body.querySelector('[data-locale="en"]')).not.toBeNull());
    (document.body.querySelector('[data-locale="en"]') as HTMLElement).click();
    await flushPromises();

    expect(wrapper.find('[data-test="current-user"]').text()).toContain('Dispatcher');
    expect(wrapper.find('.el-menu').text()).toContain('Work orders');
    expect(wrapper.find('[data-test="element-locale"]').text()).toBe('en');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('logs out to the login page', async () => {
    const { wrapper, router, store } = await mountLayout();

    const logout = wrapper.findAll('button').find((b) => b.text() === '退出登录');
    await logout!.trigger('click');
    await flushPromises();

    expect(logoutApi).toHaveBeenCalledTimes(1);
    expect(store.isLoggedIn).toBe(false);
    expect(localStorage.getItem('jiesu.accessToken')).toBeNull();
    expect(router.currentRoute.value.name).toBe('login');
  });

  it('logs out locally even when the server cannot be told', async () => {
    vi.mocked(logoutApi).mockRejectedValue(new ApiError('Network Error', { kind: 'network', statusCode: 0 }));
    const { wrapper, router, store } = await mountLayout();

    const logout = wrapper.findAll('button').find((b) => b.text() === '退出登录');
    await logout!.trigger('click');
    await flushPromises();

    expect(logoutApi).toHaveBeenCalledTimes(1);
    expect(store.isLoggedIn).toBe(false);
    expect(localStorage.getItem('jiesu.refreshToken')).toBeNull();
    expect(router.currentRoute.value.name).toBe('login');
  });
});

import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import type { CurrentUser } from '@/api/models';
import { useUserStore } from '@/store/modules/user';
import { mountView, StubPage } from '@/testing/mount-view';
import Layout from '../index.vue';
import { NARROW_MEDIA_QUERY } from '@/composables/useNarrowScreen';

// Mounting the list with Element Plus takes seconds on a busy machine (CI runners, parallel suites).
vi.setConfig({ testTimeout: 30_000 });

vi.mock('@/realtime/socket', () => ({
  connectRealtime: () => ({ on() {}, removeAllListeners() {}, disconnect() {} }),
}));
vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn(), logout: vi.fn(() => Promise.resolve()) }));
vi.mock('@/api/notifications', () => ({
  listNotifications: vi.fn(() => Promise.resolve({ items: [], unreadCount: 0, nextCursor: null })),
  markNotificationRead: vi.fn(),
  markAllNotificationsRead: vi.fn(),
}));

const handler: CurrentUser = {
  id: 5,
  username: 'dc_handler',
  displayName: '张伟',
  role: 'handler',
  unitId: 5,
  unit: { id: 5, code: 'S', name: '和平里街道办事处', type: 'street' },
  active: true,
  mustChangePassword: false,
};

/** A phone-sized window: matchMedia answers the layout's query with `matches`. */
function phoneScreen(matches: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: matches && query === NARROW_MEDIA_QUERY,
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

const Page = defineComponent(() => () => h('p', 'page'));

async function mountLayout() {
  const mounted = await mountView({
    path: '/work-orders',
    routes: [
      { path: '/login', name: 'login', component: StubPage },
      {
        path: '/',
        component: Layout,
        children: [
          { path: '/work-orders', component: Page, meta: { title: 'menu.workOrders' } },
          { path: '/audit', component: Page, meta: { title: 'menu.audit' } },
        ],
      },
    ],
  });
  useUserStore().setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: handler });
  await flushPromises();
  return mounted;
}

describe('console layout on a phone', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('has no sidebar but a menu button that opens the menu in a drawer, closed again by navigating', async () => {
    phoneScreen(true);
    const { wrapper, router } = await mountLayout();

    expect(wrapper.find('.el-aside').exists()).toBe(false);
    expect(document.body.querySelector('.el-drawer .el-menu')).toBeNull();

    await wrapper.find('[data-test="open-menu"]').trigger('click');
    expect(wrapper.find('[data-test="open-menu"]').attributes('aria-expanded')).toBe('true');
    await vi.waitFor(() => expect(document.body.querySelector('.el-drawer .el-menu')).not.toBeNull());
    expect(document.body.querySelector('.el-drawer .el-menu')!.textContent).toContain('工单管理');

    await router.push('/audit');
    await flushPromises();
    expect(wrapper.find('[data-test="open-menu"]').attributes('aria-expanded')).toBe('false');
  });

  it('condenses the header: the short name, and the user with the password and logout in a dropdown', async () => {
    phoneScreen(true);
    const { wrapper } = await mountLayout();

    expect(wrapper.find('.app-header__title').text()).toBe('接诉');
    expect(wrapper.find('[data-test="current-user"]').text()).toBe('张伟');
    expect(wrapper.findAll('button').some((b) => b.text() === '退出登录')).toBe(false);

    await wrapper.find('[data-test="current-user"]').trigger('click');
    await vi.waitFor(() => expect(document.body.querySelector('[data-test="logout"]')).not.toBeNull());
    expect(document.body.querySelector('.app-header__user-card')!.textContent).toContain('和平里街道办事处');
  });

  it('keeps the sidebar on a wide screen', async () => {
    phoneScreen(false);
    const { wrapper } = await mountLayout();

    expect(wrapper.find('.el-aside .el-menu').exists()).toBe(true);
    expect(wrapper.find('[data-test="open-menu"]').exists()).toBe(false);
  });
});

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import * as authApi from '@/api/auth';
import { ApiError } from '@/api/api-error';
import type { CurrentUser } from '@/api/models';
import { useUserStore } from '@/store/modules/user';
import { createAuthGuard, safeRedirect } from '../guard';

vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn() }));

const Page = { render: () => null };
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: Page, meta: { public: true } },
  { path: '/', component: Page },
  { path: '/work-orders', component: Page },
  { path: '/admin/users', component: Page, meta: { roles: ['admin'] } },
  { path: '/403', name: 'forbidden', component: Page },
];

const handler: CurrentUser = {
  id: 9,
  username: 'zhao.lei',
  displayName: '赵磊',
  role: 'handler',
  unitId: 20,
  unit: { id: 20, code: 'B-WATER', name: '市水务局', type: 'bureau' }, active: true, mustChangePassword: false,
};

function setup() {
  const store = useUserStore();
  const router = createRouter({ history: createMemoryHistory(), routes });
  router.beforeEach(createAuthGuard(() => store));
  return { store, router };
}

describe('auth guard', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.mocked(authApi.getCurrentUser).mockReset();
  });

  it('sends visitors without a session to the login page, remembering the target', async () => {
    const { router } = setup();

    await router.push('/work-orders?status=processing');

    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/work-orders?status=processing');
  });

  it('loads the current user once, then lets the user in', async () => {
    vi.mocked(authApi.getCurrentUser).mockResolvedValue(handler);
    const { store, router } = setup();
    store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: handler });
    store.user = null; // as after a reload: tokens restored, user not yet fetched

    await router.push('/work-orders');
    await router.push('/');

    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(store.user).toEqual(handler);
    expect(authApi.getCurrentUser).toHaveBeenCalledTimes(1);
  });

  it('logs out and shows the login page when the current user cannot be loaded', async () => {
    vi.mocked(authApi.getCurrentUser).mockRejectedValue(new ApiError('expired', { kind: 'server', statusCode: 401 }));
    const { store, router } = setup();
    store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: handler });
    store.user = null;

    await router.push('/work-orders');

    expect(router.currentRoute.value.name).toBe('login');
    expect(store.isLoggedIn).toBe(false);
  });

  it('keeps users out of pages their role may not open', async () => {
    const { store, router } = setup();
    store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: handler });

    await router.push('/admin/users');

    expect(router.currentRoute.value.name).toBe('forbidden');
  });

  it('lets a permitted role in', async () => {
    const { store, router } = setup();
    store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: { ...handler, role: 'admin' } });

    await router.push('/admin/users');

    expect(router.currentRoute.value.fullPath).toBe('/admin/users');
  });

  it('sends signed-in users away from the login page', async () => {
    const { store, router } = setup();
    store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: handler });

    await router.push('/login');

    expect(router.currentRoute.value.fullPath).toBe('/');
  });
});

describe('safeRedirect', () => {
  it.each([
    ['/work-orders/7?tab=timeline', '/work-orders/7?tab=timeline'],
    ['//evil.example.com/x', '/'],
    ['https://evil.example.com', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%j → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});

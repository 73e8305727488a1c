import { AxiosError, type AxiosAdapter, type AxiosResponse } from 'axios';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import { ApiError } from '@/api/api-error';
import * as authApi from '@/api/auth';
import { HttpClient } from '@/api/http';
import type { AuthSession, CurrentUser } from '@/api/models';
import { createAppI18n } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import { describeError } from '@/utils/error-message';
import { CHANGE_PASSWORD, createAuthGuard, createPasswordChangeRequiredHandler } from '../guard';

vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn() }));

const Page = { render: () => null };
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: Page, meta: { public: true } },
  { path: '/change-password', name: CHANGE_PASSWORD, component: Page },
  { path: '/', redirect: '/work-orders' },
  { path: '/work-orders', component: Page },
  { path: '/work-orders/:id', component: Page },
  { path: '/admin/calendar', component: Page, meta: { roles: ['admin'] } },
  { path: '/403', name: 'forbidden', component: Page },
];

const oneTime: CurrentUser = {
  id: 31,
  username: 'dc_cy_handler2',
  displayName: '李娜',
  role: 'handler',
  unitId: 20,
  unit: { id: 20, code: 'DC-CY', name: '朝阳街道', type: 'street' }, active: true,
  mustChangePassword: true,
};
const ordinary: CurrentUser = { ...oneTime, mustChangePassword: false };

function session(user: CurrentUser): AuthSession {
  return { accessToken: 'a', refreshToken: 'r', expiresIn: 900, user };
}

function setup() {
  const store = useUserStore();
  const router = createRouter({ history: createMemoryHistory(), routes });
  router.beforeEach(createAuthGuard(() => store));
  return { store, router };
}

/** The 403 every route but /me, logout and the password change answers while the password is one-time. */
function passwordChangeRequired(): AxiosAdapter {
  return (config) => {
    const response: AxiosResponse = {
      data: {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Change your one-time password first (POST /api/auth/change-password)',
        correlationId: 'corr-403',
        code: 'PASSWORD_CHANGE_REQUIRED',
      },
      status: 403,
      statusText: 'Forbidden',
      headers: {},
      config,
      request: {},
    };
    return Promise.reject(new AxiosError('Request failed with status code 403', AxiosError.ERR_BAD_REQUEST, config, {}, response));
  };
}

describe('a one-time password', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.mocked(authApi.getCurrentUser).mockReset();
    vi.mocked(authApi.login).mockReset();
  });

  it.each(['/work-orders', '/work-orders/7', '/admin/calendar', '/'])('sends %s to the password change', async (path) => {
    const { store, router } = setup();
    store.setSession(session(oneTime));

    await router.push(path);

    expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD);
  });

  it('is found out from GET /me after a reload', async () => {
    vi.mocked(authApi.getCurrentUser).mockResolvedValue(oneTime);
    const { store, router } = setup();
    store.setSession(session(oneTime));
    store.user = null; // tokens restored, user not yet fetched

    await router.push('/work-orders');

    expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD);
  });

  it('sends the user to the password change right after logging in', async () => {
    vi.mocked(authApi.login).mockResolvedValue(session(oneTime));
    const { store, router } = setup();
    await router.push('/login?redirect=/work-orders/7');

    await store.login({ username: 'dc_cy_handler2', password: 'h7KqT3mZx9PwR2cD' });
    await router.replace('/work-orders/7'); // what the login page does next

    expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD);
  });

  it('leaves everyone else alone, and lets them open the password change too', async () => {
    const { store, router } = setup();
    store.setSession(session(ordinary));

    await router.push('/work-orders/7');
    expect(router.currentRoute.value.fullPath).toBe('/work-orders/7');

    await router.push('/change-password');
    expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD);
  });
});

describe('a 403 PASSWORD_CHANGE_REQUIRED from the server', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('is an ApiError carrying the code, and the client tells its hook', async () => {
    const onPasswordChangeRequired = vi.fn();
    const onSessionExpired = vi.fn();
    const client = new HttpClient({ adapter: passwordChangeRequired(), locks: null });
    client.setAuthHooks({
      getAccessToken: () => 'a',
      getRefreshToken: () => 'r',
      onRefreshed: vi.fn(),
      onSessionExpired,
      onPasswordChangeRequired,
    });

    const failure = await client.get('/work-orders').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).statusCode).toBe(403);
    expect((failure as ApiError).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('does not call the hook for any other 403', async () => {
    const onPasswordChangeRequired = vi.fn();
    const adapter: AxiosAdapter = (config) =>
      Promise.reject(
        new AxiosError('Request failed with status code 403', AxiosError.ERR_BAD_REQUEST, config, {}, {
          data: { statusCode: 403, error: 'Forbidden', message: 'Not your unit', correlationId: 'c' },
          status: 403,
          statusText: 'Forbidden',
          headers: {},
          config,
          request: {},
        }),
      );
    const client = new HttpClient({ adapter, locks: null });
    client.setAuthHooks({ getAccessToken: () => 'a', getRefreshToken: () => 'r', onRefreshed: vi.fn(), onSessionExpired: vi.fn(), onPasswordChangeRequired });

    const failure = await client.get('/work-orders/7').catch((error: unknown) => error);

    expect((failure as ApiError).code).toBeNull();
    expect(onPasswordChangeRequired).not.toHaveBeenCalled();
  });

  it('takes the user to the password change instead of the page, and keeps them there', async () => {
    const { store, router } = setup();
    store.setSession(session(ordinary)); // e.g. the flag was set after the user was loaded
    await router.push('/work-orders/7');
    const client = new HttpClient({ adapter: passwordChangeRequired(), locks: null });
    client.setAuthHooks({
      getAccessToken: () => store.accessToken,
      getRefreshToken: () => store.refreshToken,
      onRefreshed: vi.fn(),
      onSessionExpired: vi.fn(),
      onPasswordChangeRequired: createPasswordChangeRequiredHandler(router, () => store),
    });

    await client.get('/work-orders/7').catch(() => undefined);
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD));

    expect(store.user?.mustChangePassword).toBe(true);
    await router.push('/work-orders');
    expect(router.currentRoute.value.name).toBe(CHANGE_PASSWORD);
  });

  it('reads as the reason for the detour wherever a page would show the error', () => {
    const { t, te } = createAppI18n('zh-CN').global;
    const refusal = new ApiError('Change your one-time password first', {
      kind: 'server',
      statusCode: 403,
      code: 'PASSWORD_CHANGE_REQUIRED',
    });

    expect(describeError(refusal, { t: (key, named) => t(key, named), te: (key) => te(key), locale: 'zh-CN' })).toBe('首次登录或密码已被重置，请先修改密码');
  });
});

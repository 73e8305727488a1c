import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError } from '@/api/api-error';
import { http } from '@/api/http';
import type { AuthSession } from '@/api/models';
import { createAppI18n, type AppLocale } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import LoginView from '../index.vue';

const Stub = { render: () => null };

const session: AuthSession = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1', expiresIn: 900,
  user: {
    id: 1,
    username: 'wang.fang',
    displayName: '王芳',
    role: 'agent',
    unitId: 1,
    unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false,
  },
};

async function mountLogin(path = '/login', locale: AppLocale = 'zh-CN') {
  const pinia = createPinia();
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', component: Stub },
      { path: '/work-orders/:id', component: Stub },
    ],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(LoginView, {
    attachTo: document.body,
    global: { plugins: [pinia, createAppI18n(locale), ElementPlus, router] },
  });
  return { wrapper, router, store: useUserStore(pinia) };
}

async function fillAndSubmit(wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper'], username: string, password: string) {
  await wrapper.find('input[data-test="login-username"]').setValue(username);
  await wrapper.find('input[data-test="login-password"]').setValue(password);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('login view', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
  });

  it('renders the form in Chinese by default', async () => {
    const { wrapper } = await mountLogin();

    expect(wrapper.find('h1').text()).toBe('12345 热线工单平台');
    expect(wrapper.text()).toContain('用户名');
    expect(wrapper.text()).toContain('密码');
    expect(wrapper.find('[data-test="login-submit"]').text()).toBe('登录');
    expect(wrapper.find('[data-test="login-error"]').exists()).toBe(false);
  });

  it('renders in English when that language is chosen', async () => {
    const { wrapper } = await mountLogin('/login', 'en');

    expect(wrapper.text()).toContain('Username');
    expect(wrapper.find('[data-test="login-submit"]').text()).toBe('Sign in');
  });

  it('does not call the server until both fields are filled', async () => {
    const post = vi.spyOn(http, 'post');
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // async-validator reports failed rules
    const { wrapper } = await mountLogin();

    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(post).not.toHaveBeenCalled();
    // Element Plus shows rule messages after a short debounce.
    await vi.waitFor(() => {
      expect(wrapper.text()).toContain('请输入用户名');
      expect(wrapper.text()).toContain('请输入密码');
    });
  });

  it('submits the credentials, keeps the session and goes where the user was headed', async () => {
    const post = vi.spyOn(http, 'post').mockResolvedValue(session);
    const { wrapper, router, store } = await mountLogin('/login?redirect=/work-orders/7');

    await fillAndSubmit(wrapper, '  wang.fang ', 'correct horse');

    expect(post).toHaveBeenCalledWith(
      '/auth/login',
      { username: 'wang.fang', password: 'correct horse' },
      { anonymous: true },
    );
    expect(store.user?.displayName).toBe('王芳');
    expect(localStorage.getItem('jiesu.accessToken')).toBe('access-1');
    expect(router.currentRoute.value.fullPath).toBe('/work-orders/7');
  });

  it('ignores a redirect to another site', async () => {
    vi.spyOn(http, 'post').mockResolvedValue(session);
    const { wrapper, router } = await mountLogin('/login?redirect=//evil.example.com');

    await fillAndSubmit(wrapper, 'wang.fang', 'correct horse');

    expect(router.currentRoute.value.fullPath).toBe('/');
  });

  it('says the credentials are wrong, stays on the page, clears the password and keeps the username', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(
      new ApiError('Wrong username or password', { kind: 'server', statusCode: 401, error: 'Unauthorized', code: 'INVALID_CREDENTIALS' }),
    );
    const { wrapper, router, store } = await mountLogin();

    await fillAndSubmit(wrapper, 'wang.fang', 'wrong');

    const alert = wrapper.find('[data-test="login-error"]');
    expect(alert.exists()).toBe(true);
    expect(alert.text()).toBe('用户名或密码错误');
    expect(router.currentRoute.value.name).toBe('login');
    expect(store.isLoggedIn).toBe(false);
    expect(wrapper.find('[data-test="login-submit"]').attributes('disabled')).toBeUndefined();
    const password = wrapper.find<HTMLInputElement>('input[data-test="login-password"]');
    expect(password.element.value).toBe('');
    expect(document.activeElement).toBe(password.element);
    expect(wrapper.find<HTMLInputElement>('input[data-test="login-username"]').element.value).toBe('wang.fang');
  });

  it('takes a 401 without a code on the login form for wrong credentials, not for an expired session', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(new ApiError('Unauthorized', { kind: 'server', statusCode: 401 }));
    const { wrapper } = await mountLogin();

    await fillAndSubmit(wrapper, 'wang.fang', 'wrong');

    expect(wrapper.find('[data-test="login-error"]').text()).toBe('用户名或密码错误');
  });

  it('says the account is locked on a 423', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(new ApiError('Locked', { kind: 'server', statusCode: 423 }));
    const { wrapper } = await mountLogin();

    await fillAndSubmit(wrapper, 'wang.fang', 'wrong');

    expect(wrapper.find('[data-test="login-error"]').text()).toBe('密码错误次数过多，账号已被暂时锁定，请稍后再试');
    expect(wrapper.find<HTMLInputElement>('input[data-test="login-password"]').element.value).toBe('');
  });

  it("shows the server's own message in English", async () => {
    vi.spyOn(http, 'post').mockRejectedValue(
      new ApiError('Wrong username or password', { kind: 'server', statusCode: 401, code: 'INVALID_CREDENTIALS' }),
    );
    const { wrapper } = await mountLogin('/login', 'en');

    await fillAndSubmit(wrapper, 'wang.fang', 'wrong');

    expect(wrapper.find('[data-test="login-error"]').text()).toBe('Wrong username or password');
  });

  it('explains a network failure in the current language', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(new ApiError('Network Error', { kind: 'network', statusCode: 0 }));
    const { wrapper } = await mountLogin();

    await fillAndSubmit(wrapper, 'wang.fang', 'secret');

    expect(wrapper.find('[data-test="login-error"]').text()).toBe('网络连接失败，请检查网络后重试');
  });
});

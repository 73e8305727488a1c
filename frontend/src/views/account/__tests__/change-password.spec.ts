import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { http } from '@/api/http';
import type { AuthSession, CurrentUser } from '@/api/models';
import type { AppLocale } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import { mountView, StubPage } from '@/testing/mount-view';
import ChangePassword from '../ChangePassword.vue';
import { newPasswordProblem } from '../rule';

const handler: CurrentUser = {
  id: 31,
  username: 'dc_cy_handler2',
  displayName: '李娜',
  role: 'handler',
  unitId: 20,
  unit: { id: 20, code: 'DC-CY', name: '朝阳街道', type: 'street' }, active: true,
  mustChangePassword: true,
};

async function mountPage(user: CurrentUser = handler, locale: AppLocale = 'zh-CN') {
  const mounted = await mountView({
    path: '/change-password',
    locale,
    routes: [
      { path: '/login', name: 'login', component: StubPage },
      { path: '/', component: StubPage },
      { path: '/change-password', name: 'change-password', component: ChangePassword },
    ],
  });
  const store = useUserStore();
  const session: AuthSession = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, user };
  store.setSession(session);
  await flushPromises();
  return { ...mounted, store };
}

async function fillAndSubmit(
  wrapper: Awaited<ReturnType<typeof mountPage>>['wrapper'],
  current: string,
  next: string,
  repeat: string,
) {
  await wrapper.find('input[data-test="current-password"]').setValue(current);
  await wrapper.find('input[data-test="new-password"]').setValue(next);
  await wrapper.find('input[data-test="confirm-password"]').setValue(repeat);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('newPasswordProblem (the backend policy)', () => {
  it.each([
    ['abc123', 'account.tooShort'],
    ['abcdefghij', 'account.lettersAndDigits'],
    ['1234567890', 'account.lettersAndDigits'],
    [`a1${'x'.repeat(255)}`, 'account.tooLong'],
    ['Current1234', 'account.sameAsCurrent'],
    ['Yunchuan2026', null],
  ])('%s → %s', (password, expected) => {
    expect(newPasswordProblem(password, 'Current1234')).toBe(expected);
  });
});

describe('change password page', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // async-validator reports failed rules
  });

  it('tells a user with a one-time password why they are here', async () => {
    const { wrapper } = await mountPage();

    expect(wrapper.find('h1').text()).toBe('修改密码');
    expect(wrapper.find('[data-test="must-change-notice"]').text()).toContain('首次登录或密码已被重置，请先修改密码');
    expect(wrapper.find('[data-test="change-password-cancel"]').text()).toBe('退出登录');
  });

  it('shows no notice to a user who came from the header', async () => {
    const { wrapper } = await mountPage({ ...handler, mustChangePassword: false }, 'en');

    expect(wrapper.find('[data-test="must-change-notice"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="change-password-cancel"]').text()).toBe('Cancel');
  });

  it.each([
    ['', '', '', ['请输入当前密码', '请输入新密码', '请再次输入新密码']],
    ['h7KqT3mZx9', 'short1', 'short1', ['新密码至少需要 10 个字符']],
    ['h7KqT3mZx9', 'onlyletters', 'onlyletters', ['新密码须同时包含字母和数字']],
    ['h7KqT3mZx9', 'h7KqT3mZx9', 'h7KqT3mZx9', ['新密码不能与当前密码相同']],
    ['h7KqT3mZx9', 'Yunchuan2026', 'Yunchuan2025', ['两次输入的新密码不一致']],
  ])('does not call the server when the form is wrong (%j, %j, %j)', async (current, next, repeat, messages) => {
    const post = vi.spyOn(http, 'post');
    const { wrapper } = await mountPage();

    await fillAndSubmit(wrapper, current, next, repeat);

    expect(post).not.toHaveBeenCalled();
    // Element Plus shows rule messages after a short debounce.
    await vi.waitFor(() => {
      for (const message of messages) expect(wrapper.text()).toContain(message);
    });
  });

  it('changes the password, forgets the ended session and goes to the login page', async () => {
    const post = vi.spyOn(http, 'post').mockResolvedValue(undefined);
    const { wrapper, router, store } = await mountPage();

    await fillAndSubmit(wrapper, 'h7KqT3mZx9', 'Yunchuan2026', 'Yunchuan2026');

    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('/auth/change-password', { currentPassword: 'h7KqT3mZx9', newPassword: 'Yunchuan2026' });
    expect(router.currentRoute.value.name).toBe('login');
    expect(store.isLoggedIn).toBe(false);
    expect(store.user).toBeNull();
    expect(localStorage.getItem('jiesu.accessToken')).toBeNull();
    expect(localStorage.getItem('jiesu.refreshToken')).toBeNull();
    await vi.waitFor(() => expect(document.body.querySelector('.el-message')?.textContent).toContain('密码已修改，请重新登录'));
  });

  it('says so when the current password is wrong, and keeps the session', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(
      new ApiError('The current password is wrong', { kind: 'server', statusCode: 422, error: 'Unprocessable Entity' }),
    );
    const { wrapper, router, store } = await mountPage();

    await fillAndSubmit(wrapper, 'wrong-one-1', 'Yunchuan2026', 'Yunchuan2026');

    expect(wrapper.find('[data-test="change-password-error"]').text()).toBe('当前密码不正确');
    expect(router.currentRoute.value.name).toBe('change-password');
    expect(store.isLoggedIn).toBe(true);
    expect(wrapper.find('[data-test="change-password-submit"]').attributes('disabled')).toBeUndefined();
  });

  it('says in the page’s language why the server refused the new password', async () => {
    vi.spyOn(http, 'post').mockRejectedValue(
      new ApiError('newPassword: The password must contain letters and digits', { kind: 'server', statusCode: 400, error: 'Bad Request', code: 'PASSWORD_POLICY' }),
    );
    const { wrapper } = await mountPage();

    await fillAndSubmit(wrapper, 'h7KqT3mZx9', 'Yunchuan2026', 'Yunchuan2026');

    expect(wrapper.find('[data-test="change-password-error"]').text()).toBe('新密码不符合要求：至少 10 位，且同时包含字母和数字');
  });
});

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import * as authApi from '@/api/auth';
import type { AuthSession, CurrentUser } from '@/api/models';
import { ACCESS_TOKEN_KEY, REFRESH_TOKEN_KEY, useUserStore } from '../user';

vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn(), logout: vi.fn() }));

const user: CurrentUser = {
  id: 3,
  username: 'li.na',
  displayName: '李娜',
  role: 'handler',
  unitId: 12,
  unit: { id: 12, code: 'D01-S03', name: '东城区和平街道办事处', type: 'street' }, active: true, mustChangePassword: false,
};
const session: AuthSession = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, user };

describe('user store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.mocked(authApi.login).mockReset();
    vi.mocked(authApi.getCurrentUser).mockReset();
    vi.mocked(authApi.logout).mockReset();
  });

  it('starts signed out when nothing is stored', () => {
    const sut = useUserStore();

    expect(sut.isLoggedIn).toBe(false);
    expect(sut.accessToken).toBeNull();
    expect(sut.user).toBeNull();
  });

  it('restores the tokens saved by an earlier page load', () => {
    localStorage.setItem(ACCESS_TOKEN_KEY, 'stored-access');
    localStorage.setItem(REFRESH_TOKEN_KEY, 'stored-refresh');

    const sut = useUserStore();

    expect(sut.isLoggedIn).toBe(true);
    expect(sut.accessToken).toBe('stored-access');
    expect(sut.refreshToken).toBe('stored-refresh');
  });

  it('takes the tokens another tab has just stored, so a used refresh token is never sent again', () => {
    localStorage.setItem(ACCESS_TOKEN_KEY, 'stored-access');
    localStorage.setItem(REFRESH_TOKEN_KEY, 'stored-refresh');
    const sut = useUserStore();

    localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-from-other-tab');
    window.dispatchEvent(new StorageEvent('storage', { key: REFRESH_TOKEN_KEY, newValue: 'refresh-from-other-tab', storageArea: localStorage }));
    localStorage.setItem(ACCESS_TOKEN_KEY, 'access-from-other-tab');
    window.dispatchEvent(new StorageEvent('storage', { key: ACCESS_TOKEN_KEY, newValue: 'access-from-other-tab', storageArea: localStorage }));

    expect(sut.refreshToken).toBe('refresh-from-other-tab');
    expect(sut.accessToken).toBe('access-from-other-tab');

    window.dispatchEvent(new StorageEvent('storage', { key: ACCESS_TOKEN_KEY, newValue: null, storageArea: localStorage }));
    expect(sut.isLoggedIn).toBe(false);
  });

  it('logs in: keeps the user, and the tokens in state and localStorage', async () => {
    vi.mocked(authApi.login).mockResolvedValue(session);
    const sut = useUserStore();

    await expect(sut.login({ username: 'li.na', password: 'secret' })).resolves.toEqual(user);

    expect(authApi.login).toHaveBeenCalledWith({ username: 'li.na', password: 'secret' });
    expect(sut.isLoggedIn).toBe(true);
    expect(sut.user).toEqual(user);
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBe('access-1');
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-1');
  });

  it('stays signed out when the login is refused', async () => {
    vi.mocked(authApi.login).mockRejectedValue(
      new ApiError('用户名或密码错误', { kind: 'server', statusCode: 401 }),
    );
    const sut = useUserStore();

    await expect(sut.login({ username: 'li.na', password: 'wrong' })).rejects.toThrow('用户名或密码错误');

    expect(sut.isLoggedIn).toBe(false);
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBeNull();
  });

  it('replaces both tokens after a refresh', () => {
    const sut = useUserStore();
    sut.setSession(session);

    sut.setSession({ ...session, accessToken: 'access-2', refreshToken: 'refresh-2' });

    expect(sut.accessToken).toBe('access-2');
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBe('access-2');
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
  });

  it('fetches the current user', async () => {
    vi.mocked(authApi.getCurrentUser).mockResolvedValue(user);
    const sut = useUserStore();

    await sut.fetchCurrentUser();

    expect(sut.user).toEqual(user);
  });

  it('logs out: forgets the user and removes the tokens from localStorage', () => {
    const sut = useUserStore();
    sut.setSession(session);

    sut.logout();

    expect(sut.isLoggedIn).toBe(false);
    expect(sut.user).toBeNull();
    expect(sut.refreshToken).toBeNull();
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('signs out: ends the session on the server, then locally', async () => {
    vi.mocked(authApi.logout).mockResolvedValue(undefined);
    const sut = useUserStore();
    sut.setSession(session);

    await sut.signOut();

    expect(authApi.logout).toHaveBeenCalledTimes(1);
    expect(sut.isLoggedIn).toBe(false);
    expect(sut.user).toBeNull();
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('signs out locally even when the server call fails (offline, session already over)', async () => {
    vi.mocked(authApi.logout).mockRejectedValue(new ApiError('Network Error', { kind: 'network', statusCode: 0 }));
    const sut = useUserStore();
    sut.setSession(session);

    await expect(sut.signOut()).resolves.toBeUndefined();

    expect(authApi.logout).toHaveBeenCalledTimes(1);
    expect(sut.isLoggedIn).toBe(false);
    expect(sut.refreshToken).toBeNull();
    expect(localStorage.getItem(ACCESS_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('does not call the server to sign out when there is no session', async () => {
    const sut = useUserStore();

    await sut.signOut();

    expect(authApi.logout).not.toHaveBeenCalled();
    expect(sut.isLoggedIn).toBe(false);
  });
});

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import { ACCESS_TOKEN_KEY, REFRESH_TOKEN_KEY } from '@/api/http';
import type { AuthSession, CurrentUser, LoginRequest } from '@/api/models';

// The HTTP wrapper reads them too (inside its cross-tab refresh lock), so they are defined next to it.
export { ACCESS_TOKEN_KEY, REFRESH_TOKEN_KEY };

function persist(key: string, value: string | null): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, value);
}

/** The signed-in user and their tokens; the tokens survive a reload, the user is fetched again. */
export const useUserStore = defineStore('user', () => {
  const accessToken = ref<string | null>(localStorage.getItem(ACCESS_TOKEN_KEY));
  const refreshToken = ref<string | null>(localStorage.getItem(REFRESH_TOKEN_KEY));
  const user = ref<CurrentUser | null>(null);

  const isLoggedIn = computed(() => accessToken.value !== null);

  // Refresh tokens work once (the server revokes the whole login when a used one comes back), so every tab
  // must use the pair another tab has just received rather than the one it read at start-up.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.storageArea !== localStorage) return;
      if (event.key === ACCESS_TOKEN_KEY) accessToken.value = event.newValue;
      else if (event.key === REFRESH_TOKEN_KEY) refreshToken.value = event.newValue;
      else if (event.key === null) {
        accessToken.value = null;
        refreshToken.value = null;
      }
    });
  }

  function setSession(session: AuthSession): void {
    accessToken.value = session.accessToken;
    refreshToken.value = session.refreshToken;
    user.value = session.user;
    persist(ACCESS_TOKEN_KEY, session.accessToken);
    persist(REFRESH_TOKEN_KEY, session.refreshToken);
  }

  async function login(credentials: LoginRequest): Promise<CurrentUser> {
    const session = await authApi.login(credentials);
    setSession(session);
    return session.user;
  }

  async function fetchCurrentUser(): Promise<CurrentUser> {
    const current = await authApi.getCurrentUser();
    user.value = current;
    return current;
  }

  /**
   * The user's "Log out": ends the session on the server first (`POST /auth/logout`), then locally. The server call
   * may fail (offline, session already over): the console logs out regardless.
   */
  async function signOut(): Promise<void> {
    if (accessToken.value) {
      try {
        await authApi.logout();
      } catch {
        // Nothing to undo: the local session ends below either way.
      }
    }
    logout();
  }

  /** Forgets the session locally (also when the server has ended it). */
  function logout(): void {
    accessToken.value = null;
    refreshToken.value = null;
    user.value = null;
    persist(ACCESS_TOKEN_KEY, null);
    persist(REFRESH_TOKEN_KEY, null);
  }

  return { accessToken, refreshToken, user, isLoggedIn, setSession, login, fetchCurrentUser, signOut, logout };
});

export type UserStore = ReturnType<typeof useUserStore>;

import type { NavigationGuardWithThis, RouteLocationNormalized } from 'vue-router';
import type { UserStore } from '@/store/modules/user';

export const LOGIN = 'login';
export const FORBIDDEN = 'forbidden';

function loginRedirect(to: RouteLocationNormalized) {
  return { name: LOGIN, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
}

/**
 * Sends visitors without a session to the login page (remembering where they were going),
 * loads the current user once per page load, and keeps users out of pages their role may not open.
 */
export function createAuthGuard(getStore: () => UserStore): NavigationGuardWithThis<undefined> {
  return async (to) => {
    const store = getStore();
    if (to.meta.public) {
      return to.name === LOGIN && store.isLoggedIn ? { path: '/' } : true;
    }
    if (!store.isLoggedIn) return loginRedirect(to);

    if (!store.user) {
      try {
        await store.fetchCurrentUser();
      } catch {
        store.logout();
        return loginRedirect(to);
      }
    }
    const role = store.user?.role;
    const allowed = to.matched.every((record) => !record.meta.roles || (role && record.meta.roles.includes(role)));
    return allowed ? true : { name: FORBIDDEN };
  };
}

/** Only same-origin paths, so that `?redirect=` cannot send the user to another site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

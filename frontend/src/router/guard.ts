import type { NavigationGuardWithThis, RouteLocationNormalized, Router } from 'vue-router';
import type { UserStore } from '@/store/modules/user';
import { consoleRoutes } from './modules';
import { ROLE_HOME } from './role-home';

export const LOGIN = 'login';
export const FORBIDDEN = 'forbidden';
export const CHANGE_PASSWORD = 'change-password';

/** Starts loading the lazy components of a route (the router loads them again after the guards, from the same cache). */
function prefetchComponents(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    for (const component of Object.values(record.components ?? {})) {
      if (typeof component !== 'function') continue;
      try {
        const loading: unknown = (component as () => unknown)();
        if (loading instanceof Promise) loading.catch(() => undefined);
      } catch {
        // Not a lazy loader (a functional component): nothing to fetch.
      }
    }
  }
}

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
      // Fetch the page's code while the user is read: a cold start waits for one, not for both in turn.
      prefetchComponents(to);
      try {
        await store.fetchCurrentUser();
      } catch {
        store.logout();
        return loginRedirect(to);
      }
    }
    // A one-time password opens nothing but its own replacement (the server answers 403 everywhere else).
    if (store.user?.mustChangePassword) return to.name === CHANGE_PASSWORD ? true : { name: CHANGE_PASSWORD };
    const role = store.user?.role;
    // `/` is each role's own workspace.
    const home = role ? ROLE_HOME[role] : undefined;
    if (home && to.redirectedFrom?.path === '/' && to.path !== home && consoleRoutes.some((route) => route.path === home)) return { path: home };
    const allowed = to.matched.every((record) => !record.meta.roles || (role && record.meta.roles.includes(role)));
    if (allowed) return true;
    return { name: FORBIDDEN };
  };
}

/**
 * What the console does when the server answers 403 `PASSWORD_CHANGE_REQUIRED` (the HTTP wrapper's
 * `onPasswordChangeRequired` hook): remember it on the user, which keeps the guard sending every page to the
 * password change, and go there now instead of showing the refusal.
 */
export function createPasswordChangeRequiredHandler(router: Router, getStore: () => UserStore): () => void {
  return () => {
    const store = getStore();
    if (!store.isLoggedIn) return;
    if (store.user && !store.user.mustChangePassword) store.user = { ...store.user, mustChangePassword: true };
    if (router.currentRoute.value.name !== CHANGE_PASSWORD) void router.replace({ name: CHANGE_PASSWORD });
  };
}

/** Only same-origin paths, so that `?redirect=` cannot send the user to another site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

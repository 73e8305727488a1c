import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import Layout from '@/layout/index.vue';
import type { UserStore } from '@/store/modules/user';
import { CHANGE_PASSWORD, createAuthGuard, FORBIDDEN, LOGIN } from './guard';
import { consoleRoutes, publicRoutes } from './modules';

export const routes: RouteRecordRaw[] = [
  ...publicRoutes,
  {
    path: '/login',
    name: LOGIN,
    component: () => import('@/views/login/index.vue'),
    meta: { title: 'login.title', public: true },
  },
  {
    // Outside the layout: with a one-time password the layout's calls (notifications, socket) would all be refused.
    path: '/change-password',
    name: CHANGE_PASSWORD,
    component: () => import('@/views/account/ChangePassword.vue'),
    meta: { title: 'account.changePassword' },
  },
  {
    path: '/',
    component: Layout,
    redirect: '/work-orders',
    children: [
      ...consoleRoutes,
      {
        path: '/403',
        name: FORBIDDEN,
        component: () => import('@/views/error/403.vue'),
        meta: { title: 'errors.forbiddenTitle', hideInMenu: true },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/404.vue'),
    meta: { title: 'errors.notFoundTitle', public: true },
  },
];

export function createAppRouter(getStore: () => UserStore, history: RouterHistory = createWebHistory()) {
  const router = createRouter({ history, routes });
  router.beforeEach(createAuthGuard(getStore));
  return router;
}

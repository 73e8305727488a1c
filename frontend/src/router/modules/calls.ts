import { Cellphone, Monitor, Phone } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@/api/models';

export const CALLS = 'calls';
export const CALL_DETAIL = 'call-detail';
export const MISSED_CALLS = 'calls-missed';
export const LIVE_CALLS = 'calls-live';

/** Who may read call records (the backend's CALL_STAFF_ROLES): the center's staff; units and the auditor never. */
export const CALL_STAFF_ROLES: readonly Role[] = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin'];
/** Who watches the live view (LIVE_VIEW_ROLES). */
export const LIVE_VIEW_ROLES: readonly Role[] = ['supervisor', 'admin'];

/**
 * 话务: call records and the call-back list for the center's staff, the live view for supervisors and administrators
 * (the backend's roles, docs/cti.md). Each page is its own chunk.
 */
const callRoutes: RouteRecordRaw[] = [
  {
    path: '/calls',
    name: CALLS,
    component: () => import('@/views/calls/list/index.vue'),
    meta: { title: 'calls.menuTitle', icon: Phone, roles: CALL_STAFF_ROLES },
  },
  {
    path: '/calls/missed',
    name: MISSED_CALLS,
    component: () => import('@/views/calls/missed/index.vue'),
    meta: { title: 'calls.missed.menuTitle', icon: Cellphone, roles: CALL_STAFF_ROLES },
  },
  {
    path: '/calls/live',
    name: LIVE_CALLS,
    component: () => import('@/views/calls/live/index.vue'),
    meta: { title: 'calls.live.menuTitle', icon: Monitor, roles: LIVE_VIEW_ROLES },
  },
  {
    path: '/calls/:id(\\d+)',
    name: CALL_DETAIL,
    component: () => import('@/views/calls/detail/index.vue'),
    meta: { title: 'calls.detail.title', hideInMenu: true, activeMenu: '/calls', roles: CALL_STAFF_ROLES },
  },
];

export default callRoutes;

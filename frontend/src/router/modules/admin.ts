import { Calendar, CollectionTag, Headset, OfficeBuilding, Timer, User } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const ADMIN_CALENDAR = 'admin-calendar';
export const ADMIN_DEADLINE_RULES = 'admin-deadline-rules';
export const ADMIN_UNITS = 'admin-units';
export const ADMIN_USERS = 'admin-users';
export const ADMIN_CATEGORIES = 'admin-categories';
export const ADMIN_AGENT_PHONES = 'admin-agent-phones';

/** Administrators only: the backend refuses everyone else (403), the menu hides them. */
const adminRoutes: RouteRecordRaw[] = [
  {
    path: '/admin/units',
    name: ADMIN_UNITS,
    component: () => import('@/views/admin/units/index.vue'),
    meta: { title: 'adminUnits.menuTitle', icon: OfficeBuilding, roles: ['admin'] },
  },
  {
    path: '/admin/users',
    name: ADMIN_USERS,
    component: () => import('@/views/admin/users/index.vue'),
    meta: { title: 'adminUsers.menuTitle', icon: User, roles: ['admin'] },
  },
  {
    path: '/admin/categories',
    name: ADMIN_CATEGORIES,
    component: () => import('@/views/admin/categories/index.vue'),
    meta: { title: 'adminCategories.menuTitle', icon: CollectionTag, roles: ['admin'] },
  },
  {
    path: '/admin/calendar',
    name: ADMIN_CALENDAR,
    component: () => import('@/views/admin/calendar/index.vue'),
    meta: { title: 'menu.calendar', icon: Calendar, roles: ['admin'] },
  },
  {
    path: '/admin/deadline-rules',
    name: ADMIN_DEADLINE_RULES,
    component: () => import('@/views/admin/deadline-rules/index.vue'),
    meta: { title: 'menu.deadlineRules', icon: Timer, roles: ['admin'] },
  },
  {
    path: '/admin/agent-phones',
    name: ADMIN_AGENT_PHONES,
    component: () => import('@/views/admin/agent-phones/index.vue'),
    meta: { title: 'adminAgentPhones.menuTitle', icon: Headset, roles: ['admin'] },
  },
];

export default adminRoutes;

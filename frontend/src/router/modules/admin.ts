import { Calendar, Timer } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const ADMIN_CALENDAR = 'admin-calendar';
export const ADMIN_DEADLINE_RULES = 'admin-deadline-rules';

/** Administrators only: the backend refuses everyone else (403), the menu hides them. */
const adminRoutes: RouteRecordRaw[] = [
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
];

export default adminRoutes;

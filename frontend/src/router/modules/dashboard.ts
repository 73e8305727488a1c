import { DataLine } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const DASHBOARD = 'dashboard';

/** 督办看板: the supervisor's home; the center's dispatchers and administrators, and a unit's admin for its own units. */
const routes: RouteRecordRaw[] = [
  {
    path: '/dashboard',
    name: DASHBOARD,
    component: () => import('@/views/dashboard/index.vue'),
    meta: { title: 'dashboard.menuTitle', icon: DataLine, roles: ['supervisor', 'admin', 'dispatcher', 'unit_admin'] },
  },
];

export default routes;

import { TrendCharts } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const REPORTS = 'reports';

/** 考核与报表: the center's supervisors, administrators and dispatchers; a unit's admin for its own subtree. */
const routes: RouteRecordRaw[] = [
  {
    path: '/reports',
    name: REPORTS,
    component: () => import('@/views/reports/index.vue'),
    meta: { title: 'reports.menuTitle', icon: TrendCharts, roles: ['supervisor', 'admin', 'dispatcher', 'unit_admin'] },
  },
];

export default routes;

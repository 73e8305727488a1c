import { PhoneFilled } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const INTAKE = 'intake';

/**
 * 受理登记: the agent's home page (router/role-home.ts). Dispatchers and supervisors register orders too; the
 * administrator may look (the backend refuses them registration, the page says so).
 */
const intakeRoutes: RouteRecordRaw[] = [
  {
    path: '/intake',
    name: INTAKE,
    component: () => import('@/views/intake/index.vue'),
    meta: { title: 'intake.menuTitle', icon: PhoneFilled, roles: ['agent', 'dispatcher', 'supervisor'] },
  },
];

export default intakeRoutes;

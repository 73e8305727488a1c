import { Warning } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const SHIRKING = 'shirking';

/** 推诿扯皮与争议件: the supervisors' queue (administrators and dispatchers read it; only supervisors rule). */
const routes: RouteRecordRaw[] = [
  {
    path: '/shirking',
    name: SHIRKING,
    component: () => import('@/views/shirking/index.vue'),
    meta: { title: 'shirking.menuTitle', icon: Warning, roles: ['supervisor', 'admin', 'dispatcher'] },
  },
];

export default routes;

import { Aim } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const HOTSPOTS = 'hotspots';

/** 热点诉求 (多人反映): supervisors and administrators; dispatchers read it too (the list is scoped like the order lists). */
const routes: RouteRecordRaw[] = [
  {
    path: '/hotspots',
    name: HOTSPOTS,
    component: () => import('@/views/hotspots/index.vue'),
    meta: { title: 'hotspots.menuTitle', icon: Aim, roles: ['supervisor', 'admin', 'dispatcher'] },
  },
];

export default routes;

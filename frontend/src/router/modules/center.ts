import { Headset } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const CENTER_DESK = 'center';

/** 中心工作台: the dispatcher's, reviewer's and callback agent's home (see router/role-home.ts). */
const routes: RouteRecordRaw[] = [
  {
    path: '/center',
    name: CENTER_DESK,
    component: () => import('@/views/center/index.vue'),
    meta: { title: 'center.menuTitle', icon: Headset, roles: ['dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin'] },
  },
];

export default routes;

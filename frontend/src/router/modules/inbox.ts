import { Message } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const INBOX = 'inbox';

/** 我的待办: the units' workspace and home page (see router/role-home.ts). */
const routes: RouteRecordRaw[] = [
  {
    path: '/inbox',
    name: INBOX,
    component: () => import('@/views/inbox/index.vue'),
    meta: { title: 'inbox.menuTitle', icon: Message, roles: ['handler', 'unit_admin'] },
  },
];

export default routes;

import { Reading } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import { KNOWLEDGE_READER_ROLES } from '@/api/knowledge';

export const KNOWLEDGE_BASE = 'knowledge-base';

/** 知识库: every role that reads it (all but the security auditor, whom the backend refuses); editing is for admin and supervisor. */
const routes: RouteRecordRaw[] = [
  {
    path: '/knowledge',
    name: KNOWLEDGE_BASE,
    component: () => import('@/views/knowledge/index.vue'),
    meta: { title: 'knowledge.menuTitle', icon: Reading, roles: KNOWLEDGE_READER_ROLES },
  },
];

export default routes;

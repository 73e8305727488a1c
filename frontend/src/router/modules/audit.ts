import { Document } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const AUDIT_LOG = 'audit-log';

/** 审计日志: the security auditor only (the backend answers 403 to everyone else, the administrator included). */
const auditRoutes: RouteRecordRaw[] = [
  {
    path: '/audit',
    name: AUDIT_LOG,
    component: () => import('@/views/audit/index.vue'),
    meta: { title: 'menu.audit', icon: Document, roles: ['auditor'] },
  },
];

export default auditRoutes;

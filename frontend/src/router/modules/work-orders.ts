import { Tickets } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';
import { ROLES } from '@/api/models';

export const WORK_ORDER_LIST = 'work-orders';
export const WORK_ORDER_DETAIL = 'work-order-detail';

/** Every role but the auditor sees work orders; the backend limits which ones. */
const WORK_ORDER_ROLES = ROLES.filter((role) => role !== 'auditor');

const workOrderRoutes: RouteRecordRaw[] = [
  {
    path: '/work-orders',
    name: WORK_ORDER_LIST,
    component: () => import('@/views/work-orders/list/index.vue'),
    meta: { title: 'menu.workOrders', icon: Tickets, roles: WORK_ORDER_ROLES },
  },
  {
    path: '/work-orders/:id(\\d+)',
    name: WORK_ORDER_DETAIL,
    component: () => import('@/views/work-orders/detail/index.vue'),
    meta: { title: 'workOrder.detail.title', hideInMenu: true, activeMenu: '/work-orders', roles: WORK_ORDER_ROLES },
  },
];

export default workOrderRoutes;

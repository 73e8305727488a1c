import { Tickets } from '@element-plus/icons-vue';
import type { RouteRecordRaw } from 'vue-router';

export const WORK_ORDER_LIST = 'work-orders';
export const WORK_ORDER_DETAIL = 'work-order-detail';

/** Every role sees work orders; the backend limits which ones. */
const workOrderRoutes: RouteRecordRaw[] = [
  {
    path: '/work-orders',
    name: WORK_ORDER_LIST,
    component: () => import('@/views/work-orders/list/index.vue'),
    meta: { title: 'menu.workOrders', icon: Tickets },
  },
  {
    path: '/work-orders/:id(\\d+)',
    name: WORK_ORDER_DETAIL,
    component: () => import('@/views/work-orders/detail/index.vue'),
    meta: { title: 'workOrder.detail.title', hideInMenu: true, activeMenu: '/work-orders' },
  },
];

export default workOrderRoutes;

import type { RouteRecordRaw } from 'vue-router';
import adminRoutes from './admin';
import auditRoutes from './audit';
import workOrderRoutes from './work-orders';

/** Pages inside the console layout, in menu order. */
export const consoleRoutes: RouteRecordRaw[] = [...workOrderRoutes, ...adminRoutes, ...auditRoutes];

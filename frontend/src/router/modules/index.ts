import type { RouteRecordRaw } from 'vue-router';
import adminRoutes from './admin';
import auditRoutes from './audit';
import callRoutes from './calls';
import centerRoutes from './center';
import dashboardRoutes from './dashboard';
import hotspotRoutes from './hotspots';
import inboxRoutes from './inbox';
import intakeRoutes from './intake';
import knowledgeRoutes from './knowledge';
import portalRoutes from './portal';
import reportRoutes from './reports';
import shirkingRoutes from './shirking';
import workOrderRoutes from './work-orders';

/** Pages inside the console layout, in menu order: each role's workspace first, then shared pages and administration. */
export const consoleRoutes: RouteRecordRaw[] = [
  ...intakeRoutes,
  ...centerRoutes,
  ...inboxRoutes,
  ...dashboardRoutes,
  ...hotspotRoutes,
  ...shirkingRoutes,
  ...reportRoutes,
  ...workOrderRoutes,
  ...callRoutes,
  ...knowledgeRoutes,
  ...adminRoutes,
  ...auditRoutes,
];

/** Public pages outside the layout (the citizen portal). */
export const publicRoutes: RouteRecordRaw[] = [...portalRoutes];

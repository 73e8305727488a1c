import { describe, expect, it } from 'vitest';
import type { Role } from '@/api/models';
import { buildMenu } from '../menu';
import { consoleRoutes } from '../modules';
import { ROLE_HOME } from '../role-home';

const titles = (role: Role) => buildMenu(consoleRoutes, role).map((item) => item.title);

describe('the side menu', () => {
  it('gives each role its own workspace and nothing of others', () => {
    expect(titles('agent')).toEqual(['intake.menuTitle', 'menu.workOrders', 'calls.menuTitle', 'calls.missed.menuTitle', 'knowledge.menuTitle']);
    expect(titles('dispatcher')).toEqual(['intake.menuTitle', 'center.menuTitle', 'dashboard.menuTitle', 'hotspots.menuTitle', 'shirking.menuTitle', 'reports.menuTitle', 'menu.workOrders', 'calls.menuTitle', 'calls.missed.menuTitle', 'knowledge.menuTitle']);
    expect(titles('reviewer')).toEqual(['center.menuTitle', 'menu.workOrders', 'calls.menuTitle', 'calls.missed.menuTitle', 'knowledge.menuTitle']);
    expect(titles('handler')).toEqual(['inbox.menuTitle', 'menu.workOrders', 'knowledge.menuTitle']);
    expect(titles('unit_admin')).toEqual(['inbox.menuTitle', 'dashboard.menuTitle', 'reports.menuTitle', 'menu.workOrders', 'knowledge.menuTitle']);
    expect(titles('auditor')).toEqual(['menu.audit']);
    expect(titles('admin')).toEqual([
      'center.menuTitle',
      'dashboard.menuTitle',
      'hotspots.menuTitle',
      'shirking.menuTitle',
      'reports.menuTitle',
      'menu.workOrders',
      'calls.menuTitle',
      'calls.missed.menuTitle',
      'calls.live.menuTitle',
      'knowledge.menuTitle',
      'adminUnits.menuTitle',
      'adminUsers.menuTitle',
      'adminCategories.menuTitle',
      'menu.calendar',
      'menu.deadlineRules',
      'adminAgentPhones.menuTitle',
    ]);
  });

  it('marks every administration page for the admin role, so the guard keeps others out', () => {
    const admin = consoleRoutes.filter((route) => route.path.startsWith('/admin/'));
    expect(admin.map((route) => route.path)).toEqual(['/admin/units', '/admin/users', '/admin/categories', '/admin/calendar', '/admin/deadline-rules', '/admin/agent-phones']);
    expect(admin.every((route) => route.meta?.roles?.join() === 'admin')).toBe(true);
  });

  it('sends every role home to a page in its own menu', () => {
    for (const [role, home] of Object.entries(ROLE_HOME) as [Role, string][]) {
      const page = consoleRoutes.find((route) => route.path === home);
      expect({ role, home, found: Boolean(page), allowed: page?.meta?.roles?.includes(role) ?? false }).toEqual({ role, home, found: true, allowed: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { buildMenu } from '../menu';
import { consoleRoutes } from '../modules';

describe('the side menu', () => {
  it('offers the calendar and the time-limit rules to administrators only', () => {
    const titles = (role: Parameters<typeof buildMenu>[1]) => buildMenu(consoleRoutes, role).map((item) => item.title);
    expect(titles('admin')).toEqual(['menu.workOrders', 'menu.calendar', 'menu.deadlineRules']);
    expect(titles('dispatcher')).toEqual(['menu.workOrders']);
    expect(titles('unit_admin')).toEqual(['menu.workOrders']);
  });

  it('marks both admin pages for the admin role, so the guard keeps others out', () => {
    const admin = consoleRoutes.filter((route) => route.path.startsWith('/admin/'));
    expect(admin).toHaveLength(2);
    expect(admin.every((route) => route.meta?.roles?.join() === 'admin')).toBe(true);
  });
});

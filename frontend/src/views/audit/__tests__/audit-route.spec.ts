import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { CurrentUser } from '@/api/models';
import { routes } from '@/router';
import { createAuthGuard } from '@/router/guard';
import { buildMenu } from '@/router/menu';
import { consoleRoutes } from '@/router/modules';
import { useUserStore } from '@/store/modules/user';

vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn() }));

const auditor: CurrentUser = {
  id: 30,
  username: 'auditor1',
  displayName: '安全审计员孙伟',
  role: 'auditor',
  unitId: 1,
  unit: { id: 1, code: 'center', name: '云川市12345市民服务热线中心', type: 'center' }, active: true, mustChangePassword: false,
};

function setup(user: CurrentUser) {
  const store = useUserStore();
  store.setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user });
  const router = createRouter({ history: createMemoryHistory(), routes });
  router.beforeEach(createAuthGuard(() => store));
  return router;
}

describe('the audit log route', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('is in the menu of the auditor only, who sees no work orders', () => {
    const titles = (role: Parameters<typeof buildMenu>[1]) => buildMenu(consoleRoutes, role).map((item) => item.title);
    expect(titles('auditor')).toEqual(['menu.audit']);
    expect(titles('admin')).not.toContain('menu.audit');
    expect(titles('supervisor')).not.toContain('menu.audit');
  });

  it('lands the auditor on the audit log, and keeps the auditor out of work orders and others out of the log', async () => {
    const router = setup(auditor);
    await router.push('/');
    expect(router.currentRoute.value.path).toBe('/audit');
    await router.push('/work-orders');
    expect(router.currentRoute.value.name).toBe('forbidden');

    const adminRouter = setup({ ...auditor, id: 1, username: 'admin', role: 'admin' });
    await adminRouter.push('/audit');
    expect(adminRouter.currentRoute.value.name).toBe('forbidden');
  });
});

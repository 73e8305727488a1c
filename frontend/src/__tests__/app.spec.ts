import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import * as authApi from '@/api/auth';
import { getWorkOrder, listWorkOrders } from '@/api/work-orders';
import { vPerms } from '@/directives/perms';
import { createAppI18n } from '@/locales';
import { createAppRouter } from '@/router';
import { useUserStore } from '@/store/modules/user';
import { workOrder, workOrderDetail } from '@/views/work-orders/__tests__/fixtures';
import App from '../App.vue';

vi.mock('@/api/auth', () => ({ login: vi.fn(), getCurrentUser: vi.fn() }));
vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
// The list's filters and the center desk load the unit and category trees.
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn().mockResolvedValue([]), listCategoryTree: vi.fn().mockResolvedValue([]) }));

const user = {
  id: 2,
  username: 'li.qiang',
  displayName: '李强',
  role: 'dispatcher',
  unitId: 1,
  unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false,
} as const;

async function mountApp(path: string) {
  const pinia = createPinia();
  const store = useUserStore(pinia);
  const router = createAppRouter(() => store, createMemoryHistory());
  await router.push(path);
  await router.isReady();
  const wrapper = mount(App, { attachTo: document.body, global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus, router], directives: { perms: vPerms } } });
  await flushPromises();
  return { wrapper, router };
}

describe('the console, end to end with a fake API', () => {
  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    vi.mocked(authApi.login).mockResolvedValue({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user });
    vi.mocked(listWorkOrders).mockResolvedValue({ items: [workOrder()], total: 1, page: 1, pageSize: 20, totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ allowedActions: ['dispatch'] }));
  });

  it('signs in, lists the work orders and opens one', async () => {
    const { wrapper, router } = await mountApp('/work-orders/42');
    expect(router.currentRoute.value.name).toBe('login');
    expect(document.title).toBe('登录 - 12345 热线工单平台');

    await wrapper.find('input[data-test="login-username"]').setValue('li.qiang');
    await wrapper.find('input[data-test="login-password"]').setValue('secret');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="detail-number"]').exists()).toBe(true), { timeout: 10_000 });

    expect(router.currentRoute.value.fullPath).toBe('/work-orders/42');
    expect(wrapper.find('[data-test="current-user"]').text()).toContain('李强');
    expect(wrapper.find('[data-test="detail-actions"]').text()).toContain('派单');

    await router.push('/work-orders');
    await vi.waitFor(() => expect(wrapper.find('.el-table__body tr').exists()).toBe(true));
    expect(wrapper.find('.el-table__body tr').text()).toContain('20250612-0007');
    expect(document.title).toBe('工单管理 - 12345 热线工单平台');
  });

  it('takes / to the role’s own workspace (the dispatcher’s center desk) and unknown paths to the not-found page', async () => {
    localStorage.setItem('jiesu.accessToken', 'a');
    vi.mocked(authApi.getCurrentUser).mockResolvedValue(user);

    const { router, wrapper } = await mountApp('/');
    expect(router.currentRoute.value.fullPath).toBe('/center');

    await router.push('/no/such/page');
    await vi.waitFor(() => expect(wrapper.text()).toContain('页面不存在'));
  });
});

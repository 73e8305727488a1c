import { flushPromises } from '@vue/test-utils';
import { ElMessageBox } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser, listUsers, resetUserPassword, updateUser } from '@/api/admin';
import type { UserAccount } from '@/api/models';
import { listUnitTree } from '@/api/organisation';
import { createAppI18n } from '@/locales';
import { mountView } from '@/testing/mount-view';
import UsersView from '../index.vue';
import { USERNAME_PATTERN, userRules } from '../rule';
import { userChange, userQuery } from '../useUserAdmin';

vi.mock('@/api/admin', () => ({ listUsers: vi.fn(), createUser: vi.fn(), updateUser: vi.fn(), resetUserPassword: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));

const handler: UserAccount = {
  id: 31,
  username: 'dc_cy_handler',
  displayName: '朝阳街道承办人',
  role: 'handler',
  unitId: 5,
  unit: { id: 5, code: 'dc_cy', name: '朝阳街道办事处', type: 'street' },
  active: true,
  mustChangePassword: false,
};

const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);

async function mountUsers() {
  const mounted = await mountView({ routes: [{ path: '/admin/users', component: UsersView }], path: '/admin/users' });
  await flushPromises();
  return mounted;
}

describe('user form rules', () => {
  const t = createAppI18n('zh-CN').global.t;
  const rules = userRules((key) => t(key));

  it('accepts the usernames the backend accepts, and no others', () => {
    for (const ok of ['dc_cy_handler2', 'li.na', 'A1']) expect(USERNAME_PATTERN.test(ok)).toBe(true);
    for (const bad of ['a', '_admin', '张三', 'with space', 'x'.repeat(65)]) expect(USERNAME_PATTERN.test(bad)).toBe(false);
  });

  it('requires a name (not blank, at most 64), a role and a unit, with translated messages', () => {
    const displayName = rules.displayName as { required?: boolean; whitespace?: boolean; max?: number; message: string }[];
    expect(displayName[0]).toMatchObject({ required: true, whitespace: true, message: '请输入姓名' });
    expect(displayName[1]).toMatchObject({ max: 64 });
    expect((rules.role as { required: boolean }[])[0].required).toBe(true);
    expect((rules.unitId as { required: boolean; type: string }[])[0]).toMatchObject({ required: true, type: 'number' });
  });

  it('sends only the filters set, and only the fields changed', () => {
    expect(userQuery({ keyword: ' li ', role: '', unitId: null }, 2)).toEqual({ page: 2, pageSize: 20, keyword: 'li' });
    expect(userQuery({ keyword: '', role: 'handler', unitId: 5 }, 1)).toEqual({ page: 1, pageSize: 20, role: 'handler', unitId: 5 });
    expect(userChange(handler, { username: handler.username, displayName: handler.displayName, role: 'handler', unitId: 5 })).toEqual({});
    expect(userChange(handler, { username: handler.username, displayName: ' 新名字 ', role: 'unit_admin', unitId: 5 })).toEqual({ displayName: '新名字', role: 'unit_admin' });
  });
});

describe('user administration page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listUsers).mockReset().mockResolvedValue({ items: [handler], total: 1, page: 1, pageSize: 20 });
    vi.mocked(listUnitTree).mockReset().mockResolvedValue([]);
    vi.mocked(createUser).mockReset();
    vi.mocked(updateUser).mockReset();
    vi.mocked(resetUserPassword).mockReset();
  });

  it('lists the accounts with role, unit and status', async () => {
    const { wrapper } = await mountUsers();
    const table = wrapper.find('[data-test="user-table"]').text();
    expect(table).toContain('dc_cy_handler');
    expect(table).toContain('承办人员');
    expect(table).toContain('朝阳街道办事处');
    expect(table).toContain('正常');
    expect(wrapper.find('[data-test="user-admin"]').attributes('data-state')).toBe('loaded');
  });

  it('resets a password after confirming and shows the one-time password once', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
    vi.mocked(resetUserPassword).mockResolvedValue({ user: { ...handler, mustChangePassword: true }, oneTimePassword: 'Qx7-temp-93kd' });
    const { wrapper } = await mountUsers();
    await wrapper.find('[data-test="user-reset-dc_cy_handler"]').trigger('click');
    await flushPromises();
    expect(resetUserPassword).toHaveBeenCalledWith(31);
    expect(q('[data-test="one-time-password"]')?.textContent).toBe('Qx7-temp-93kd');
    expect(q('[data-test="one-time-password-dialog"]')?.textContent).toContain('密码已重置');
    q('[data-test="one-time-password-done"]')!.click();
    await flushPromises();
    // Gone for good: the page no longer holds it.
    expect(q('[data-test="one-time-password"]')).toBeNull();
  });

  it('disables an account after confirming', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
    vi.mocked(updateUser).mockResolvedValue({ ...handler, active: false });
    const { wrapper } = await mountUsers();
    await wrapper.find('[data-test="user-toggle-dc_cy_handler"]').trigger('click');
    await flushPromises();
    expect(updateUser).toHaveBeenCalledWith(31, { active: false });
    expect(listUsers).toHaveBeenCalledTimes(2);
  });
});

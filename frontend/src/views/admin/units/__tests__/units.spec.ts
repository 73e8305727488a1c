import { flushPromises } from '@vue/test-utils';
import { ElMessageBox } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { createUnit, updateUnit } from '@/api/admin';
import type { UnitTreeNode } from '@/api/models';
import { listUnitTree } from '@/api/organisation';
import { createAppI18n } from '@/locales';
import { mountView } from '@/testing/mount-view';
import UnitsView from '../index.vue';
import { defaultLeaderSignOff, UNIT_CODE_PATTERN, unitRules } from '../rule';
import { openOrdersOf, unitMatches } from '../useUnitAdmin';

vi.mock('@/api/admin', () => ({ createUnit: vi.fn(), updateUnit: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));

const street: UnitTreeNode = { id: 5, code: 'dc_cy', name: '朝阳街道办事处', type: 'street', parentId: 2, active: true, leaderSignOff: false, children: [] };
const tree: UnitTreeNode[] = [
  {
    id: 1,
    code: 'center',
    name: '12345热线中心',
    type: 'center',
    parentId: null,
    active: true,
    leaderSignOff: false,
    children: [{ id: 2, code: 'dc', name: '东城区人民政府', type: 'district', parentId: 1, active: true, leaderSignOff: true, children: [street] }],
  },
];

const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);

describe('unit form rules', () => {
  const rules = unitRules((key) => createAppI18n('zh-CN').global.t(key));

  it('takes codes as the backend does', () => {
    for (const ok of ['dc_hp', 'A-1', '9x']) expect(UNIT_CODE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['_x', '和平', 'a b', '']) expect(UNIT_CODE_PATTERN.test(bad)).toBe(false);
    expect((rules.code as { max?: number }[])[1].max).toBe(32);
    expect((rules.name as { max?: number }[])[1].max).toBe(100);
    expect((rules.code as { message: string }[])[0].message).toBe('请输入单位编码');
  });

  it('defaults 领导审签 on for bureaus and districts', () => {
    expect(defaultLeaderSignOff('bureau')).toBe(true);
    expect(defaultLeaderSignOff('district')).toBe(true);
    expect(defaultLeaderSignOff('street')).toBe(false);
  });

  it('searches by name or code', () => {
    expect(unitMatches(street, '朝阳')).toBe(true);
    expect(unitMatches(street, 'DC_CY')).toBe(true);
    expect(unitMatches(street, '西城')).toBe(false);
  });

  it('reads the open orders from a deactivation 409', () => {
    expect(openOrdersOf(new ApiError('x', { kind: 'server', statusCode: 409, details: { openWorkOrders: 3 } }))).toBe(3);
    expect(openOrdersOf(new ApiError('x', { kind: 'server', statusCode: 409, code: 'DUPLICATE' }))).toBeNull();
    expect(openOrdersOf(new Error('x'))).toBeNull();
  });
});

describe('unit administration page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(tree);
    vi.mocked(createUnit).mockReset();
    vi.mocked(updateUnit).mockReset();
  });

  async function mountUnits() {
    const mounted = await mountView({ routes: [{ path: '/admin/units', component: UnitsView }], path: '/admin/units' });
    await flushPromises();
    return mounted;
  }

  it('opens the create dialog under the chosen unit, and a form without a type is not sent', async () => {
    vi.mocked(createUnit).mockResolvedValue({ ...street, id: 9, code: 'dc_hp', name: '和平街道办事处' });
    const { wrapper } = await mountUnits();
    expect(wrapper.find('[data-test="unit-node-dc"]').text()).toContain('东城区人民政府');
    expect(wrapper.find('[data-test="unit-node-dc"]').text()).toContain('领导审签');
    await wrapper.find('[data-test="unit-add-dc"]').trigger('click');
    await flushPromises();
    const dialog = q('[data-test="unit-dialog"]')!;
    expect(dialog.textContent).toContain('上级：东城区人民政府');
    const input = (selector: string, value: string) => {
      const element = dialog.querySelector<HTMLInputElement>(`${selector} input, input${selector}`)!;
      element.value = value;
      element.dispatchEvent(new Event('input'));
    };
    input('[data-test="unit-code"]', 'dc_hp');
    input('[data-test="unit-name"]', '和平街道办事处');
    await flushPromises();
    // The type is required: saving without one is stopped by the form.
    q('[data-test="unit-save"]')!.click();
    await flushPromises();
    expect(createUnit).not.toHaveBeenCalled();
  });

  it('explains a refused deactivation (409 with the open orders) and keeps the unit active', async () => {
    const alert = vi.spyOn(ElMessageBox, 'alert').mockResolvedValue('confirm' as never);
    vi.mocked(updateUnit).mockRejectedValue(new ApiError('still leads', { kind: 'server', statusCode: 409, details: { openWorkOrders: 4 } }));
    const { wrapper } = await mountUnits();
    await wrapper.find('[data-test="unit-edit-dc"]').trigger('click');
    await flushPromises();
    q('[data-test="unit-active"]')!.click();
    await flushPromises();
    q('[data-test="unit-save"]')!.click();
    await flushPromises();
    expect(updateUnit).toHaveBeenCalledWith(2, { active: false });
    expect(alert).toHaveBeenCalledWith(expect.stringContaining('仍主办 4 件在办工单'), '无法停用单位', expect.anything());
  });
});

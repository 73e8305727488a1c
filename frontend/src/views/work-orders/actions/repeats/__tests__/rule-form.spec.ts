import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type { UnitTreeNode, WorkOrderAction } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { ruleOrder } from '@/api/shirking';
import type * as shirkingApi from '@/api/shirking';
import UnitTreeSelect from '@/components/UnitTreeSelect.vue';
import { createAppI18n } from '@/locales';
import { workOrderDetail } from '../../../__tests__/fixtures';
import RuleForm from '../RuleForm.vue';
import { createRuleFormRules, ruleBody } from '../rule-form';

vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
vi.mock('@/api/shirking', async (importOriginal) => ({ ...(await importOriginal<typeof shirkingApi>()), ruleOrder: vi.fn() }));

vi.setConfig({ testTimeout: 20_000 });

const unit = (id: number, name: string): UnitTreeNode => ({ id, code: `U${id}`, name, type: 'department', parentId: null, active: true, children: [] }) as unknown as UnitTreeNode;

/** A disputed order: returned twice, by two units. */
const disputed = workOrderDetail({
  id: 90,
  number: '20261202000090',
  status: 'return_requested',
  version: 6,
  returnCount: 2,
  allowedActions: ['rule'],
});

function mountForm() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(RuleForm, {
    props: { order: disputed, action: 'rule' as WorkOrderAction },
    attachTo: document.body,
    global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus] },
  });
}

/** The labels of the form items that failed validation. */
const failedFields = () => [...document.querySelectorAll('.el-form-item.is-error .el-form-item__label')].map((label) => label.textContent?.trim());

/** Element Plus validates asynchronously and shows the messages a few ticks later. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flushPromises();
}

describe('the ruling dialog (裁定)', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(ruleOrder).mockReset();
    vi.mocked(listUnitTree).mockResolvedValue([unit(21, '城管局'), unit(22, '住建局'), unit(23, '市场监管局')]);
    vi.mocked(listCategoryTree).mockResolvedValue([]);
  });

  it('needs a lead unit and a reason before it rules', async () => {
    const wrapper = mountForm();
    await flushPromises();
    await wrapper.find('[data-test="action-submit"]').trigger('click');
    await settle();
    expect(failedFields()).toEqual(['主办单位', '裁定理由']);
    expect(ruleOrder).not.toHaveBeenCalled();

    await wrapper.find('textarea[data-test="rule-reason"]').setValue(' 是 ');
    await wrapper.find('[data-test="action-submit"]').trigger('click');
    await settle();
    expect(failedFields()).toEqual(['主办单位', '裁定理由']);
    expect(ruleOrder).not.toHaveBeenCalled();
  });

  it('rules with the lead, the assisting units (never the lead) and the trimmed reason, then hands back the order', async () => {
    const ruled = workOrderDetail({ ...disputed, status: 'dispatched', version: 7, allowedActions: [] });
    vi.mocked(ruleOrder).mockResolvedValue(ruled);
    const wrapper = mountForm();
    await flushPromises();
    const [lead, assisting] = wrapper.findAllComponents(UnitTreeSelect);
    assisting.vm.$emit('update:modelValue', [21, 23]);
    lead.vm.$emit('update:modelValue', 21);
    await wrapper.find('textarea[data-test="rule-reason"]').setValue('  路灯设施属城管局管养范围  ');
    await flushPromises();
    await wrapper.find('[data-test="action-submit"]').trigger('click');
    await settle();
    expect(failedFields()).toEqual([]);
    expect(ruleOrder).toHaveBeenCalledWith(90, { version: 6, leadUnitId: 21, assistingUnitIds: [23], reason: '路灯设施属城管局管养范围' });
    expect(wrapper.emitted('done')?.[0]).toEqual([ruled]);
  });

  it('tells the host when the order changed meanwhile (409)', async () => {
    vi.mocked(ruleOrder).mockRejectedValue(new ApiError('stale', { kind: 'server', statusCode: 409 }));
    const wrapper = mountForm();
    await flushPromises();
    wrapper.findAllComponents(UnitTreeSelect)[0].vm.$emit('update:modelValue', 22);
    await wrapper.find('textarea[data-test="rule-reason"]').setValue('属住建局职责');
    await wrapper.find('[data-test="action-submit"]').trigger('click');
    await settle();
    expect(wrapper.emitted('stale')).toHaveLength(1);
  });

  it('words each problem of the reason and the lead unit', () => {
    const t = (key: string, named?: Record<string, unknown>) => `${key}${named ? JSON.stringify(named) : ''}`;
    const rules = createRuleFormRules(t);
    const check = (rule: unknown, value: unknown) => {
      let message: string | undefined;
      (rule as { validator: (r: unknown, v: unknown, cb: (e?: Error) => void) => void }).validator({}, value, (error) => (message = error?.message));
      return message;
    };
    const reason = (rules.reason as unknown[])[0];
    const lead = (rules.leadUnitId as unknown[])[0];
    expect(check(lead, null)).toBe('repeats.ruling.leadRequired');
    expect(check(lead, 21)).toBeUndefined();
    expect(check(reason, '   ')).toBe('repeats.ruling.reasonRequired');
    expect(check(reason, ' 是 ')).toBe('repeats.ruling.reasonTooShort{"min":2}');
    expect(check(reason, 'x'.repeat(2001))).toBe('repeats.ruling.reasonTooLong{"max":2000}');
    expect(check(reason, '属城管局职责')).toBeUndefined();
  });

  it('builds the body without an empty assisting list', () => {
    expect(ruleBody({ leadUnitId: 5, assistingUnitIds: [5], reason: ' 理由 ' }, 3)).toEqual({ version: 3, leadUnitId: 5, reason: '理由' });
    expect(() => ruleBody({ leadUnitId: null, assistingUnitIds: [], reason: 'x' }, 1)).toThrow();
  });
});

import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { ElCascader } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { listCallerOrders, registerWorkOrder } from '@/api/intake';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import UnitTreeSelect from '@/components/UnitTreeSelect.vue';
import KnowledgePanel from '@/views/knowledge/components/KnowledgePanel.vue';
import { workOrder } from '@/views/work-orders/__tests__/fixtures';
import { useIncomingCall } from '../useIncomingCall';
import { HISTORY_LOOKUP_DELAY_MS } from '../useIntakeForm';
import { categoryTree, mountIntake, registeredOrder, unitTree, wait } from './intake-fixtures';
import type * as knowledgeApi from '@/api/knowledge';
import type * as repeatsApi from '@/api/repeats';

vi.mock('@/api/intake', () => ({ registerWorkOrder: vi.fn(), listCallerOrders: vi.fn(), CALLER_HISTORY_SIZE: 10 }));
vi.mock('@/api/organisation', () => ({ listCategoryTree: vi.fn(), listUnitTree: vi.fn() }));
// The candidates panel looks up similar orders while the form is typed: none here.
vi.mock('@/api/repeats', async (importOriginal) => ({
  ...(await importOriginal<typeof repeatsApi>()),
  findSimilarDrafts: vi.fn(() => Promise.resolve([])),
}));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<typeof knowledgeApi>()),
  listKnowledge: vi.fn(() => Promise.resolve({ items: [], total: 0, page: 1, pageSize: 10 })),
  getKnowledgeArticle: vi.fn(),
}));
vi.mock('@/api/work-orders', () => ({ getWorkOrder: vi.fn(), listWorkOrders: vi.fn() }));

type Wrapper = VueWrapper;

const field = (wrapper: Wrapper, test: string) => wrapper.find(`[data-test="${test}"]`);
const focusedField = () => document.activeElement?.closest<HTMLElement>('[data-field]')?.dataset.field;

async function chooseCategory(wrapper: Wrapper, id: number) {
  const cascader = wrapper.findComponent(ElCascader);
  cascader.vm.$emit('update:modelValue', id);
  cascader.vm.$emit('change', id);
  await flushPromises();
}

async function fillValidForm(wrapper: Wrapper) {
  await chooseCategory(wrapper, 101);
  await field(wrapper, 'intake-citizen-name').setValue('董先生');
  await field(wrapper, 'intake-address').setValue('朝阳街道朝阳路18号');
  await field(wrapper, 'intake-title').setValue('朝阳路路灯不亮');
  await field(wrapper, 'intake-content').setValue('朝阳路18号至26号路灯连续一周不亮。');
}

// Each test mounts the whole page with Element Plus: slower than the default 5 s on a shared machine.
vi.setConfig({ testTimeout: 20_000 });

describe('the intake page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    useIncomingCall().end();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue(categoryTree);
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCallerOrders).mockReset().mockResolvedValue({ total: 0, page: 1, pageSize: 10, items: [], totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(registerWorkOrder).mockReset().mockResolvedValue(registeredOrder());
    vi.mocked(performAction).mockReset();
    vi.mocked(getWorkOrder).mockReset();
  });
  afterEach(() => useIncomingCall().end());

  it('starts with the category focused and the defaults of a phone call', async () => {
    const { wrapper } = await mountIntake();
    expect(field(wrapper, 'intake-page').attributes('data-state')).toBe('loaded');
    expect(focusedField()).toBe('categoryId');
    expect((field(wrapper, 'intake-urgency').find('input[value="normal"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.findComponent({ name: 'ElSelect' }).props('modelValue')).toBe('phone');
  });

  it("pre-selects the chosen category's default request type", async () => {
    const { wrapper } = await mountIntake();
    await chooseCategory(wrapper, 801);
    expect((field(wrapper, 'intake-request-type').find('input[value="consultation"]').element as HTMLInputElement).checked).toBe(true);
    await chooseCategory(wrapper, 101);
    expect((field(wrapper, 'intake-request-type').find('input[value="report"]').element as HTMLInputElement).checked).toBe(true);
  });

  it('refuses an incomplete form and puts the focus on the first field to fix', async () => {
    const { wrapper } = await mountIntake();
    await chooseCategory(wrapper, 101);
    await field(wrapper, 'intake-title').setValue('路灯不亮');
    await field(wrapper, 'intake-title').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    await wait(0);
    expect(registerWorkOrder).not.toHaveBeenCalled();
    expect(wrapper.findAll('.el-form-item.is-error').map((item) => item.attributes('data-field'))).toEqual(['address', 'content']);
    expect(focusedField()).toBe('address');
    await wait(150); // Element Plus shows a form item's error after a short debounce
    expect(wrapper.find('[data-field="address"] .el-form-item__error').text()).toBe('请填写事发地址');
    // Required fields are marked, with the console's own messages (no "categoryId is required").
    expect(wrapper.findAll('.el-form-item.is-required').map((item) => item.attributes('data-field'))).toEqual([
      'categoryId',
      'requestType',
      'address',
      'title',
      'content',
    ]);
  });

  it('submits with Enter in a single-line field, not with Enter in the content, and with Ctrl+Enter there', async () => {
    const { wrapper } = await mountIntake();
    await fillValidForm(wrapper);

    await field(wrapper, 'intake-content').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(registerWorkOrder).not.toHaveBeenCalled();
    // An input method confirming Chinese text with Enter does not submit either.
    await field(wrapper, 'intake-title').trigger('keydown', { key: 'Enter', isComposing: true });
    await flushPromises();
    expect(registerWorkOrder).not.toHaveBeenCalled();

    await field(wrapper, 'intake-content').trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(registerWorkOrder).toHaveBeenCalledTimes(1);
    expect(vi.mocked(registerWorkOrder).mock.calls[0][0]).toMatchObject({
      categoryId: 101,
      requestType: 'report',
      channel: 'phone',
      urgency: 'normal',
      citizenName: '董先生',
      title: '朝阳路路灯不亮',
    });
    expect(field(wrapper, 'registered-number').text()).toBe('20261202000017');
  });

  it('says in its own words that the category is missing', async () => {
    const { wrapper } = await mountIntake();
    await field(wrapper, 'intake-address').setValue('朝阳路18号');
    await field(wrapper, 'intake-address').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    await wait(150);
    expect(wrapper.find('[data-field="categoryId"] .el-form-item__error').text()).toBe('请选择诉求分类（小类）');
    expect(focusedField()).toBe('categoryId');
  });

  it('submits with Enter in the address', async () => {
    const { wrapper } = await mountIntake();
    await fillValidForm(wrapper);
    await field(wrapper, 'intake-address').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(registerWorkOrder).toHaveBeenCalledTimes(1);
  });

  it('chooses the district of a chosen street, and forgets a street of another district', async () => {
    const { wrapper } = await mountIntake();
    const [district, street] = wrapper.findAllComponents({ name: 'ElSelect' }).slice(1);
    street.vm.$emit('update:modelValue', 43);
    street.vm.$emit('change', 43);
    await flushPromises();
    expect(district.props('modelValue')).toBe(32);
    district.vm.$emit('update:modelValue', 31);
    district.vm.$emit('change', 31);
    await flushPromises();
    expect(street.props('modelValue')).toBeNull();
  });

  it("fills the phone from an incoming call and lists the caller's earlier orders, each a link", async () => {
    vi.mocked(listCallerOrders).mockResolvedValue({
      total: 1,
      page: 1,
      pageSize: 10,
      items: [workOrder({ id: 42, number: '20261120000003', title: '路灯又坏了', status: 'closed' })],
      totalExact: true,
      hasMore: false,
      nextCursor: null,
    });
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '+86 138-1234-5678', callId: 'c-1' });
    await flushPromises();
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('13812345678');
    expect(field(wrapper, 'incoming-call-phone').text()).toBe('13812345678');
    expect(listCallerOrders).toHaveBeenCalledWith('13812345678', expect.any(AbortSignal));
    const item = field(wrapper, 'caller-history-item');
    expect(item.text()).toContain('20261120000003');
    expect(item.text()).toContain('路灯又坏了');
    expect(item.text()).toContain('已办结');
    expect(item.attributes('href')).toBe('/work-orders/42');
    expect(field(wrapper, 'caller-history').attributes('data-state')).toBe('loaded');
    expect(focusedField()).toBe('categoryId');
  });

  it('"新来电" asks for the number, refuses one that is not a mainland number, and takes the call', async () => {
    const { wrapper } = await mountIntake();
    await field(wrapper, 'new-call').trigger('click');
    await flushPromises();
    await wait(50);
    const input = document.body.querySelector<HTMLInputElement>('input[data-test="new-call-phone"]')!;
    expect(input).not.toBeNull();
    input.value = '12345';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await flushPromises();
    await wait(150);
    expect(useIncomingCall().call.value).toBeNull();
    expect(document.body.textContent).toContain('请输入有效的大陆手机号或固定电话号码');

    input.value = '0571-8765 4321';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await flushPromises();
    expect(useIncomingCall().call.value?.phone).toBe('057187654321');
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('057187654321');
  });

  it('looks a typed phone up once it is a whole number', async () => {
    const { wrapper } = await mountIntake();
    await field(wrapper, 'intake-citizen-phone').setValue('138123');
    await wait(HISTORY_LOOKUP_DELAY_MS + 50);
    expect(listCallerOrders).not.toHaveBeenCalled();
    await field(wrapper, 'intake-citizen-phone').setValue('138 1234 5678');
    await wait(HISTORY_LOOKUP_DELAY_MS + 50);
    await flushPromises();
    expect(listCallerOrders).toHaveBeenCalledWith('13812345678', expect.any(AbortSignal));
  });

  it('shows the server refusing the registration and keeps the form', async () => {
    vi.mocked(registerWorkOrder).mockRejectedValue(new ApiError('Category 101 is no longer in use', { kind: 'server', statusCode: 422 }));
    const { wrapper } = await mountIntake();
    await fillValidForm(wrapper);
    await field(wrapper, 'intake-submit').trigger('click');
    await flushPromises();
    expect(document.body.textContent).toContain('当前情况下不能执行此操作');
    expect(field(wrapper, 'registered-panel').exists()).toBe(false);
    expect((field(wrapper, 'intake-title').element as HTMLInputElement).value).toBe('朝阳路路灯不亮');
  });

  it('hides the register button from the administrator, whom the backend refuses', async () => {
    const { wrapper } = await mountIntake({ role: 'admin' });
    expect(field(wrapper, 'intake-submit').attributes('style')).toContain('display: none');
    expect(wrapper.text()).toContain('您的角色不能登记工单');
  });
});

describe('after registering', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    useIncomingCall().end();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue(categoryTree);
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCallerOrders).mockReset().mockResolvedValue({ total: 0, page: 1, pageSize: 10, items: [], totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(registerWorkOrder).mockReset().mockResolvedValue(registeredOrder());
    vi.mocked(performAction).mockReset();
    vi.mocked(getWorkOrder).mockReset();
  });

  async function register(wrapper: Wrapper) {
    await fillValidForm(wrapper);
    await field(wrapper, 'intake-submit').trigger('click');
    await flushPromises();
  }

  it("preselects the category's lead unit and dispatches there", async () => {
    const { wrapper } = await mountIntake();
    await register(wrapper);
    const lead = field(wrapper, 'dispatch-lead').findComponent(UnitTreeSelect);
    expect(lead.props('modelValue')).toBe(21);
    expect(field(wrapper, 'dispatch-suggestion').text()).toContain('城管局');
    expect(document.activeElement).toBe(field(wrapper, 'dispatch-submit').element);

    vi.mocked(performAction).mockResolvedValue(registeredOrder({ status: 'dispatched', version: 2, leadUnitId: 21, leadUnit: { id: 21, code: 'cgj', name: '城管局' }, allowedActions: [] }));
    await field(wrapper, 'dispatch-submit').trigger('click');
    await flushPromises();
    expect(performAction).toHaveBeenCalledWith(77, 'dispatch', { version: 1, leadUnitId: 21 });
    expect(field(wrapper, 'registered-panel').attributes('data-state')).toBe('dispatched');
    expect(field(wrapper, 'registered-outcome').text()).toContain('已派至 城管局');
    expect(document.activeElement).toBe(field(wrapper, 'next-call').element);
  });

  it('offers only what allowedActions allows', async () => {
    vi.mocked(registerWorkOrder).mockResolvedValue(registeredOrder({ allowedActions: ['resolve-directly'] }));
    const { wrapper } = await mountIntake();
    await register(wrapper);
    expect(field(wrapper, 'dispatch-submit').exists()).toBe(false);
    expect(field(wrapper, 'resolve-submit').exists()).toBe(true);
  });

  it('resolves directly with the answer, which is required', async () => {
    const { wrapper } = await mountIntake();
    await register(wrapper);
    await wrapper.find('#tab-resolve').trigger('click');
    await flushPromises();
    await field(wrapper, 'resolve-submit').trigger('click');
    await flushPromises();
    expect(performAction).not.toHaveBeenCalled();
    await wait(150); // Element Plus shows a form item's error after a short debounce
    expect(wrapper.text()).toContain('请填写答复内容');

    vi.mocked(performAction).mockResolvedValue(registeredOrder({ status: 'closed', version: 2, allowedActions: [] }));
    await field(wrapper, 'resolve-answer').setValue('居住证可凭租赁合同办理。');
    await field(wrapper, 'resolve-answer').trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(performAction).toHaveBeenCalledWith(77, 'resolve-directly', { version: 1, answer: '居住证可凭租赁合同办理。' });
    expect(field(wrapper, 'registered-panel').attributes('data-state')).toBe('resolved');
  });

  it("puts the knowledge base's answer into 直办, picked before or after registering", async () => {
    vi.mocked(registerWorkOrder).mockResolvedValue(registeredOrder({ requestType: 'consultation' }));
    const { wrapper } = await mountIntake();
    const panel = wrapper.findComponent(KnowledgePanel);
    expect(panel.props('categoryId')).toBeNull();
    await chooseCategory(wrapper, 801);
    expect(panel.props('categoryId')).toBe(801);
    panel.vm.$emit('use', '租房人员凭租赁合同可办理居住证。');
    await flushPromises();
    expect(field(wrapper, 'intake-answer-queued').exists()).toBe(true);

    await fillValidForm(wrapper);
    await field(wrapper, 'intake-submit').trigger('click');
    await flushPromises();
    // A consultation with an answer at hand: the 直办 step is open, the answer filled in.
    expect((field(wrapper, 'resolve-answer').element as HTMLTextAreaElement).value).toBe('租房人员凭租赁合同可办理居住证。');
    expect(wrapper.find('#pane-resolve').isVisible()).toBe(true);

    wrapper.findComponent(KnowledgePanel).vm.$emit('use', '另一条答案');
    await flushPromises();
    expect((field(wrapper, 'resolve-answer').element as HTMLTextAreaElement).value).toBe('另一条答案');
  });

  it('reloads the order when someone acted on it meanwhile (409)', async () => {
    const { wrapper } = await mountIntake();
    await register(wrapper);
    vi.mocked(performAction).mockRejectedValue(new ApiError('stale', { kind: 'server', statusCode: 409, code: 'VERSION_CONFLICT' }));
    vi.mocked(getWorkOrder).mockResolvedValue(registeredOrder({ status: 'dispatched', version: 2, allowedActions: [] }));
    await field(wrapper, 'dispatch-submit').trigger('click');
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledWith(77);
    expect(document.body.textContent).toContain('该工单已被他人更新');
    expect(field(wrapper, 'registered-status').text()).toBe('待签收');
    expect(wrapper.text()).toContain('您不能对该工单派单或直接办结');
  });

  it('"继续登记" empties the form, ends the call and waits for the next one', async () => {
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13812345678' });
    await flushPromises();
    await register(wrapper);
    await field(wrapper, 'next-call').trigger('click');
    await flushPromises();
    expect(field(wrapper, 'registered-panel').exists()).toBe(false);
    expect((field(wrapper, 'intake-title').element as HTMLInputElement).value).toBe('');
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('');
    expect(field(wrapper, 'incoming-call-state').attributes('data-state')).toBe('idle');
    expect(document.activeElement).toBe(field(wrapper, 'new-call').element);
  });

  it('"继续登记" takes a call that came in while the result was shown', async () => {
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13812345678' });
    await flushPromises();
    await register(wrapper);
    useIncomingCall().offer({ phone: '13900001111', callId: 'c-2' });
    await flushPromises();
    await field(wrapper, 'next-call').trigger('click');
    await flushPromises();
    expect(useIncomingCall().call.value?.phone).toBe('13900001111');
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('13900001111');
    expect(focusedField()).toBe('categoryId');
  });
});

import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { ElCascader } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { linkWorkOrderToCall } from '@/api/cti-agent';
import { listCallerOrders, registerWorkOrder } from '@/api/intake';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { useIncomingCall } from '../useIncomingCall';
import { categoryTree, mountIntake, registeredOrder, unitTree } from './intake-fixtures';
import type * as repeatsApi from '@/api/repeats';
import type * as knowledgeApi from '@/api/knowledge';
import type * as ctiApi from '@/api/cti-agent';

vi.mock('@/api/cti-agent', async (importOriginal) => ({ ...(await importOriginal<typeof ctiApi>()), linkWorkOrderToCall: vi.fn() }));
vi.mock('@/api/intake', () => ({ registerWorkOrder: vi.fn(), listCallerOrders: vi.fn(), CALLER_HISTORY_SIZE: 10 }));
vi.mock('@/api/organisation', () => ({ listCategoryTree: vi.fn(), listUnitTree: vi.fn() }));
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

vi.setConfig({ testTimeout: 20_000 });

const field = (wrapper: VueWrapper, test: string) => wrapper.find(`[data-test="${test}"]`);

async function register(wrapper: VueWrapper) {
  const cascader = wrapper.findComponent(ElCascader);
  cascader.vm.$emit('update:modelValue', 101);
  cascader.vm.$emit('change', 101);
  await flushPromises();
  await field(wrapper, 'intake-address').setValue('朝阳街道朝阳路18号');
  await field(wrapper, 'intake-title').setValue('朝阳路路灯不亮');
  await field(wrapper, 'intake-content').setValue('朝阳路18号至26号路灯连续一周不亮。');
  await field(wrapper, 'intake-submit').trigger('click');
  await flushPromises();
}

describe('orders registered during a telephony call', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    useIncomingCall().end();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue(categoryTree);
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCallerOrders).mockReset().mockResolvedValue({ total: 0, page: 1, pageSize: 10, items: [], totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(registerWorkOrder).mockReset().mockResolvedValue(registeredOrder());
    vi.mocked(linkWorkOrderToCall).mockReset().mockResolvedValue({} as Awaited<ReturnType<typeof linkWorkOrderToCall>>);
  });
  afterEach(() => useIncomingCall().end());

  it('links each order registered in the call to its record, the second one after "同一来电再登记一件"', async () => {
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    await flushPromises();
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('13800138000');
    expect(field(wrapper, 'incoming-call-telephony').text()).toBe('话务来电');
    await register(wrapper);
    expect(linkWorkOrderToCall).toHaveBeenCalledWith(17, 77);
    expect(field(wrapper, 'registered-call-link').attributes('data-state')).toBe('linked');
    expect(field(wrapper, 'registered-call-link').text()).toContain('已关联来电 13800138000');

    await field(wrapper, 'same-call-next').trigger('click');
    await flushPromises();
    // The call stays on the desk, its number in the empty form.
    expect(useIncomingCall().call.value?.callRecordId).toBe(17);
    expect((field(wrapper, 'intake-citizen-phone').element as HTMLInputElement).value).toBe('13800138000');
    expect((field(wrapper, 'intake-title').element as HTMLInputElement).value).toBe('');

    vi.mocked(registerWorkOrder).mockResolvedValue(registeredOrder({ id: 78, number: '20261202000018' }));
    await register(wrapper);
    expect(linkWorkOrderToCall).toHaveBeenLastCalledWith(17, 78);
    expect(linkWorkOrderToCall).toHaveBeenCalledTimes(2);

    // "继续登记" ends the call.
    await field(wrapper, 'next-call').trigger('click');
    await flushPromises();
    expect(useIncomingCall().call.value).toBeNull();
  });

  it('keeps the order registered when the link fails, says so and retries', async () => {
    vi.mocked(linkWorkOrderToCall).mockRejectedValueOnce(new ApiError('Network Error', { kind: 'network', statusCode: 0 }));
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    await flushPromises();
    await register(wrapper);
    expect(field(wrapper, 'registered-number').text()).toBe('20261202000017');
    const failed = field(wrapper, 'registered-call-link-failed');
    expect(failed.text()).toContain('工单已登记，但关联来电失败');
    expect(failed.text()).toContain('网络连接失败');

    await field(wrapper, 'registered-call-link-retry').trigger('click');
    await flushPromises();
    expect(linkWorkOrderToCall).toHaveBeenCalledTimes(2);
    expect(field(wrapper, 'registered-call-link-failed').exists()).toBe(false);
    expect(field(wrapper, 'registered-call-link').attributes('data-state')).toBe('linked');
  });

  it('counts "linked already" (409) as linked', async () => {
    vi.mocked(linkWorkOrderToCall).mockRejectedValue(new ApiError('Work order 77 is already linked to this call', { kind: 'server', statusCode: 409 }));
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    await flushPromises();
    await register(wrapper);
    expect(field(wrapper, 'registered-call-link').attributes('data-state')).toBe('linked');
  });

  it('links nothing for a number typed in by hand', async () => {
    const { wrapper } = await mountIntake();
    useIncomingCall().offer({ phone: '13800138000' });
    await flushPromises();
    expect(field(wrapper, 'incoming-call-telephony').exists()).toBe(false);
    await register(wrapper);
    expect(linkWorkOrderToCall).not.toHaveBeenCalled();
    expect(field(wrapper, 'registered-call-link').exists()).toBe(false);
    // Another order of the same caller is still possible.
    expect(field(wrapper, 'same-call-next').exists()).toBe(true);
  });
});

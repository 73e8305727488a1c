import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { ApiError } from '@/api/api-error';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import { vPerms } from '@/directives/perms';
import { createAppI18n } from '@/locales';
import { workOrderDetail } from '../../__tests__/fixtures';
import WorkOrderActionBar from '../WorkOrderActionBar.vue';
import WorkOrderActionHost from '../WorkOrderActionHost.vue';
import type { WorkOrderActionHostApi } from '../types';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));

const plugins = () => [createPinia(), createAppI18n('zh-CN'), ElementPlus];

function mountHost() {
  const wrapper = mount(WorkOrderActionHost, { attachTo: document.body, global: { plugins: plugins(), directives: { perms: vPerms } } });
  return { wrapper, host: wrapper.vm as unknown as WorkOrderActionHostApi };
}

const dialog = () => document.querySelector<HTMLElement>('[data-test="action-dialog"]');
const dialogVisible = () => {
  const element = dialog();
  return element !== null && element.closest<HTMLElement>('.el-overlay')?.style.display !== 'none';
};
const click = async (selector: string) => {
  document.querySelector<HTMLElement>(selector)?.click();
  await flushPromises();
  await nextTick();
  await flushPromises();
};
const type = async (selector: string, text: string) => {
  const input = document.querySelector<HTMLTextAreaElement | HTMLInputElement>(`${selector} textarea, ${selector} input, textarea${selector}, input${selector}`);
  if (!input) throw new Error(`no input ${selector}`);
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await nextTick();
};

describe('WorkOrderActionHost', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getWorkOrder).mockReset();
    vi.mocked(performAction).mockReset();
  });

  it('refuses an action the order does not offer, without opening', async () => {
    const { host } = mountHost();
    const opened = await host.open(workOrderDetail({ allowedActions: ['reply'] }), 'accept');
    await flushPromises();
    expect(opened).toBe(false);
    expect(dialogVisible()).toBe(false);
    expect(document.body.textContent).toContain('当前不能执行“签收”');
  });

  it('fetches the order when given its id, titles the dialog with the action and sends the generic note with the version', async () => {
    const order = workOrderDetail({ status: 'dispatched', allowedActions: ['accept', 'return'], version: 7 });
    vi.mocked(getWorkOrder).mockResolvedValue(order);
    const after = workOrderDetail({ status: 'processing', version: 8 });
    vi.mocked(performAction).mockResolvedValue(after);
    const { wrapper, host } = mountHost();

    expect(await host.open(42, 'accept')).toBe(true);
    await flushPromises();
    expect(getWorkOrder).toHaveBeenCalledWith(42);
    expect(dialog()?.querySelector('.el-dialog__title')?.textContent).toBe('签收');
    expect(document.querySelector('[data-test="generic-action-form"]')).not.toBeNull();

    await type('[data-test="generic-text"]', '  已签收，马上处理  ');
    await click('[data-test="action-submit"]');
    expect(performAction).toHaveBeenCalledWith(42, 'accept', { note: '已签收，马上处理', version: 7 });
    expect(wrapper.emitted('done')?.[0]).toEqual([after]);
  });

  it('requires the reason where the DTO does (ReasonActionDto: 2–2000) before calling the server', async () => {
    const { host } = mountHost();
    await host.open(workOrderDetail({ status: 'unit_review', reply: '已修复', allowedActions: ['unit-reject-reply'] }), 'unit-reject-reply');
    await flushPromises();
    expect(document.querySelector('[data-test="generic-reply"]')?.textContent).toBe('已修复');
    await click('[data-test="action-submit"]');
    expect(performAction).not.toHaveBeenCalled();
    expect(document.querySelector('[data-test="generic-action-form"] .el-form-item.is-error')).not.toBeNull();
    await type('[data-test="generic-text"]', '短');
    await click('[data-test="action-submit"]');
    expect(performAction).not.toHaveBeenCalled();
    await type('[data-test="generic-text"]', '答复未说明处理结果');
    await click('[data-test="action-submit"]');
    expect(performAction).toHaveBeenCalledWith(42, 'unit-reject-reply', { reason: '答复未说明处理结果', version: 3 });
  });

  it('on a 409 says the order changed, reloads it and emits the reloaded order', async () => {
    const order = workOrderDetail({ status: 'dispatched', allowedActions: ['accept'], version: 3 });
    const reloaded = workOrderDetail({ status: 'processing', allowedActions: ['reply'], version: 4 });
    vi.mocked(performAction).mockRejectedValue(new ApiError('Version conflict', { kind: 'server', statusCode: 409, code: 'VERSION_CONFLICT' }));
    vi.mocked(getWorkOrder).mockResolvedValue(reloaded);
    const { wrapper, host } = mountHost();

    await host.open(order, 'accept');
    await flushPromises();
    await click('[data-test="action-submit"]');
    await flushPromises();

    expect(performAction).toHaveBeenCalledWith(42, 'accept', { version: 3 });
    expect(document.body.textContent).toContain('该工单已被他人更新，已为您刷新');
    expect(getWorkOrder).toHaveBeenCalledWith(42);
    expect(wrapper.emitted('done')?.[0]).toEqual([reloaded]);
  });

  it('keeps the dialog open and shows the message on another error', async () => {
    vi.mocked(performAction).mockRejectedValue(new ApiError('bad', { kind: 'server', statusCode: 422 }));
    const { wrapper, host } = mountHost();
    await host.open(workOrderDetail({ allowedActions: ['accept'] }), 'accept');
    await flushPromises();
    await click('[data-test="action-submit"]');
    expect(document.body.textContent).toContain('当前情况下不能执行此操作');
    expect(wrapper.emitted('done')).toBeUndefined();
    expect(dialogVisible()).toBe(true);
  });
});

describe('WorkOrderActionBar', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('shows one button per allowed action, translated, the main next step as primary, nothing else', () => {
    const wrapper = mount(WorkOrderActionBar, {
      props: { order: workOrderDetail({ allowedActions: ['return', 'accept'] }) },
      global: { plugins: [createPinia(), createAppI18n('en'), ElementPlus], directives: { perms: vPerms } },
    });
    const buttons = wrapper.findAll('button[data-action]');
    expect(buttons.map((b) => b.text())).toEqual(['Return', 'Accept']);
    expect(buttons[1].classes()).toContain('el-button--primary');
    expect(buttons[0].classes()).not.toContain('el-button--primary');
  });

  it('says so when nothing is allowed', () => {
    const wrapper = mount(WorkOrderActionBar, {
      props: { order: workOrderDetail({ allowedActions: [] }) },
      global: { plugins: [createPinia(), createAppI18n('zh-CN'), ElementPlus], directives: { perms: vPerms } },
    });
    expect(wrapper.findAll('button[data-action]')).toHaveLength(0);
    expect(wrapper.text()).toContain('当前没有可执行的操作');
  });
});

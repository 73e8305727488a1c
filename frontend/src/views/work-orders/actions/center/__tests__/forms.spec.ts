import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, type Component } from 'vue';
import { ApiError } from '@/api/api-error';
import type { CategoryTreeNode, UnitTreeNode, WorkOrderAction, WorkOrderDetail } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { performAction } from '@/api/work-order-actions';
import { listWorkOrders } from '@/api/work-orders';
import { createAppI18n } from '@/locales';
import { workOrder, workOrderDetail } from '../../../__tests__/fixtures';
import CallbackAttemptForm from '../forms/CallbackAttemptForm.vue';
import CallbackForm from '../forms/CallbackForm.vue';
import DecisionForm from '../forms/DecisionForm.vue';
import DispatchForm from '../forms/DispatchForm.vue';
import InvalidateForm from '../forms/InvalidateForm.vue';
import RecallForm from '../forms/RecallForm.vue';
import RemindForm from '../forms/RemindForm.vue';
import ResolveDirectlyForm from '../forms/ResolveDirectlyForm.vue';
import SuperviseForm from '../forms/SuperviseForm.vue';
import TargetOrderForm from '../forms/TargetOrderForm.vue';
import { centerActionDialogs } from '../registry-center';

vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));

const unit = (id: number, name: string, children: UnitTreeNode[] = []): UnitTreeNode =>
  ({ id, code: `U${id}`, name, type: 'department', parentId: null, active: true, children }) as unknown as UnitTreeNode;
const category = (id: number, defaultLeadUnitId: number | null): CategoryTreeNode => ({
  id,
  code: `C${id}`,
  name: '路灯',
  level: 3,
  path: '城乡建设/市政设施/路灯',
  defaultLeadUnitId,
  defaultRequestType: null,
  active: true,
  children: [],
});

function mountForm(component: Component, order: WorkOrderDetail, action: WorkOrderAction) {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(component, {
    props: { order, action },
    attachTo: document.body,
    global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus] },
  });
}

async function settle() {
  await flushPromises();
  await nextTick();
  await flushPromises();
}

async function type(selector: string, text: string) {
  const input = document.querySelector<HTMLTextAreaElement | HTMLInputElement>(`${selector} textarea, ${selector} input, textarea${selector}, input${selector}`);
  if (!input) throw new Error(`no input ${selector}`);
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await nextTick();
}

async function submit() {
  document.querySelector<HTMLElement>('[data-test="action-submit"]')?.click();
  await settle();
}

async function pick(group: string, value: string) {
  const radio = document.querySelector<HTMLInputElement>(`[data-test="${group}"] [data-value="${value}"] input`);
  if (!radio) throw new Error(`no radio ${group}=${value}`);
  radio.click();
  await settle();
}

describe('center action forms', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(performAction).mockReset();
    vi.mocked(listUnitTree).mockResolvedValue([unit(1, '市民热线服务中心', [unit(5, '和平里街道办事处'), unit(7, '市城市照明管理中心')])]);
    vi.mocked(listCategoryTree).mockResolvedValue([category(301, 7)]);
  });

  it('registers a form for every center action of the brief', () => {
    const actions: WorkOrderAction[] = [
      'dispatch', 'recall', 'approve-return', 'reject-return', 'approve-extension', 'refuse-extension', 'approve-reply',
      'reject-reply', 'callback', 'callback-attempt', 'supervise', 'remind', 'invalidate', 'resolve-directly', 'merge', 'link',
    ];
    expect(actions.filter((action) => !centerActionDialogs[action])).toEqual([]);
  });

  it('dispatch: preselects the category’s default unit, says so, and sends it with the version', async () => {
    const order = workOrderDetail({ status: 'registered', categoryId: 301, leadUnitId: null, leadUnit: null, version: 2 });
    const after = workOrderDetail({ status: 'dispatched', version: 3 });
    vi.mocked(performAction).mockResolvedValue(after);
    const wrapper = mountForm(DispatchForm, order, 'dispatch');
    await settle();
    expect(document.querySelector('[data-test="dispatch-suggested"]')?.textContent).toContain('市城市照明管理中心');
    await type('[data-test="action-note"]', ' 请尽快处理 ');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'dispatch', { leadUnitId: 7, note: '请尽快处理', version: 2 });
    expect(wrapper.emitted('done')?.[0]).toEqual([after]);
  });

  it('dispatch: without a default unit the lead unit is required', async () => {
    vi.mocked(listCategoryTree).mockResolvedValue([category(301, null)]);
    const wrapper = mountForm(DispatchForm, workOrderDetail({ status: 'registered', categoryId: 301 }), 'dispatch');
    await settle();
    expect(document.querySelector('[data-test="dispatch-suggested"]')?.textContent).toContain('未设置默认主办单位');
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    expect(document.querySelector('.el-form-item.is-error')).not.toBeNull();
    expect(wrapper.emitted('done')).toBeUndefined();
  });

  it('reject-reply: shows the reply under review and needs a reason of 2+ characters', async () => {
    const order = workOrderDetail({
      status: 'reply_review',
      reply: '已更换灯泡，恢复照明。',
      attachments: [{ id: 'a1', fileName: '现场照片.png', mimeType: 'image/png', size: 2048, sha256: '', purpose: 'reply', createdAt: '' }],
      version: 9,
    });
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'processing' }));
    mountForm(DecisionForm, order, 'reject-reply');
    await settle();
    expect(document.querySelector('[data-test="reply-text"]')?.textContent).toContain('已更换灯泡');
    expect(document.querySelector('[data-test="reply-attachments"]')?.textContent).toContain('现场照片.png');
    await type('[data-test="action-reason"]', '短');
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    await type('[data-test="action-reason"]', '答复未说明处理时间');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'reject-reply', { reason: '答复未说明处理时间', version: 9 });
  });

  it('approve-reply: the note is optional', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'callback_pending' }));
    mountForm(DecisionForm, workOrderDetail({ status: 'reply_review', version: 4 }), 'approve-reply');
    await settle();
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'approve-reply', { version: 4 });
  });

  it('approve-return: re-dispatches at once to the suggested unit with the approved order’s version', async () => {
    const order = workOrderDetail({
      status: 'return_requested',
      version: 5,
      returns: [
        {
          id: 1,
          unit: { id: 5, code: 'U5', name: '和平里街道办事处' },
          reasonCode: 'not_our_responsibility',
          reason: '路灯归照明中心管理',
          suggestedUnit: { id: 7, code: 'U7', name: '市城市照明管理中心' },
          requestedAt: '2025-06-12T03:00:00.000Z',
          decision: null,
          decidedAt: null,
        },
      ],
    });
    const approved = workOrderDetail({ status: 'registered', version: 6 });
    const dispatched = workOrderDetail({ status: 'dispatched', version: 7 });
    vi.mocked(performAction).mockResolvedValueOnce(approved).mockResolvedValueOnce(dispatched);
    const wrapper = mountForm(DecisionForm, order, 'approve-return');
    await settle();
    expect(document.querySelector('[data-test="return-context"]')?.textContent).toContain('不属于本单位职责');
    await submit();
    expect(performAction).toHaveBeenNthCalledWith(1, 42, 'approve-return', { version: 5 });
    expect(performAction).toHaveBeenNthCalledWith(2, 42, 'dispatch', { version: 6, leadUnitId: 7 });
    expect(wrapper.emitted('done')?.[0]).toEqual([dispatched]);
  });

  it('a 409 emits stale for the host to reload', async () => {
    vi.mocked(performAction).mockRejectedValue(new ApiError('stale', { kind: 'server', statusCode: 409 }));
    const wrapper = mountForm(DecisionForm, workOrderDetail({ status: 'processing', extensionRequestedDueAt: '2099-01-01T00:00:00Z' }), 'approve-extension');
    await settle();
    expect(document.querySelector('[data-test="extension-context"]')).not.toBeNull();
    await submit();
    expect(wrapper.emitted('stale')).toHaveLength(1);
  });

  it('callback: the script’s answers become outcome and satisfaction', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'closed' }));
    mountForm(CallbackForm, workOrderDetail({ status: 'callback_pending', version: 11 }), 'callback');
    await settle();
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    await pick('callback-resolved', 'resolved');
    await pick('callback-satisfaction', 'satisfied');
    await type('[data-test="action-note"]', '感谢');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'callback', { outcome: 'resolved', satisfaction: 'satisfied', note: '感谢', version: 11 });
  });

  it('callback: a citizen who declines is recorded without satisfaction', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'closed' }));
    mountForm(CallbackForm, workOrderDetail({ status: 'callback_pending', version: 11 }), 'callback');
    await settle();
    const declines = document.querySelectorAll<HTMLInputElement>('[data-test="callback-accepts"] input')[1];
    declines.click();
    await settle();
    expect(document.querySelector('[data-test="callback-satisfaction"]')).toBeNull();
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'callback', { outcome: 'declined', version: 11 });
  });

  it('callback-attempt: a preset fills the required note', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'callback_pending' }));
    mountForm(CallbackAttemptForm, workOrderDetail({ status: 'callback_pending', version: 3 }), 'callback-attempt');
    await settle();
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    const preset = [...document.querySelectorAll<HTMLButtonElement>('.center-form__presets button')].find((b) => b.textContent?.includes('占线'));
    preset!.click();
    await settle();
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'callback-attempt', { note: '占线', version: 3 });
  });

  it('invalidate: needs a reason code and a reason', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'invalid' }));
    mountForm(InvalidateForm, workOrderDetail({ status: 'registered', version: 1 }), 'invalidate');
    await settle();
    await type('[data-test="action-reason"]', '来电无声');
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    await pick('invalid-reason', 'no_content');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'invalidate', { reasonCode: 'no_content', reason: '来电无声', version: 1 });
  });

  it('supervise: needs an instruction and a new deadline', async () => {
    mountForm(SuperviseForm, workOrderDetail({ status: 'processing' }), 'supervise');
    await settle();
    await type('[data-test="action-instruction"]', '请于三日内办结');
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    expect(document.querySelector('.el-form-item.is-error')).not.toBeNull();
  });

  it('recall: the reason is required once the unit has accepted the order', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'registered' }));
    mountForm(RecallForm, workOrderDetail({ status: 'processing', acceptedAt: '2025-06-12T02:40:00.000Z', version: 6 }), 'recall');
    await settle();
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    await type('[data-test="action-reason"]', '派错单位');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'recall', { reason: '派错单位', version: 6 });
  });

  it('recall: before acceptance it may go without a reason', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'registered' }));
    mountForm(RecallForm, workOrderDetail({ status: 'dispatched', acceptedAt: null, version: 2 }), 'recall');
    await settle();
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'recall', { version: 2 });
  });

  it('resolve-directly: the answer is required', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'closed' }));
    mountForm(ResolveDirectlyForm, workOrderDetail({ status: 'registered', version: 1 }), 'resolve-directly');
    await settle();
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    await type('[data-test="action-answer"]', '已告知办理渠道');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'resolve-directly', { answer: '已告知办理渠道', version: 1 });
  });

  it('remind: the message is optional', async () => {
    vi.mocked(performAction).mockResolvedValue(workOrderDetail());
    mountForm(RemindForm, workOrderDetail({ version: 8 }), 'remind');
    await settle();
    await type('[data-test="action-message"]', '请加快办理');
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'remind', { message: '请加快办理', version: 8 });
  });

  it('merge: finds the target by its number and sends its id', async () => {
    vi.mocked(listWorkOrders).mockResolvedValue({
      items: [workOrder({ id: 42 }), workOrder({ id: 77, number: '202606120003', title: '同一路灯' })],
      total: 2,
      page: 1,
      pageSize: 10,
      totalExact: true,
      hasMore: false,
      nextCursor: null,
    });
    vi.mocked(performAction).mockResolvedValue(workOrderDetail({ status: 'merged' }));
    mountForm(TargetOrderForm, workOrderDetail({ status: 'registered', version: 3 }), 'merge');
    await settle();
    await submit();
    expect(performAction).not.toHaveBeenCalled();
    const input = document.querySelector<HTMLInputElement>('[data-test="target-order"] input')!;
    input.focus();
    input.value = '2026-0612';
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await settle();
    expect(listWorkOrders).toHaveBeenCalledWith({ keyword: '20260612', pageSize: 10 }, expect.any(AbortSignal));
    const options = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')];
    // The order itself is never offered.
    expect(options.map((option) => option.textContent)).toEqual([expect.stringContaining('202606120003')]);
    options[0].click();
    await settle();
    await submit();
    expect(performAction).toHaveBeenCalledWith(42, 'merge', { targetId: 77, version: 3 });
  });
});

import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, type Component } from 'vue';
import type { WorkOrderAction, WorkOrderDetail } from '@/api/models';
import { performAction } from '@/api/work-order-actions';
import { createAppI18n } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import { workOrderDetail } from '../../__tests__/fixtures';
import { centerWallClockToIso, isoToCenterWallClock } from '../center-time';
import { futureRule, textRules } from '../rules';
import ContactForm from '../unit/ContactForm.vue';
import ReplyForm from '../unit/ReplyForm.vue';
import RequestExtensionForm from '../unit/RequestExtensionForm.vue';
import ReturnForm from '../unit/ReturnForm.vue';
import SubDispatchForm from '../unit/SubDispatchForm.vue';
import { unitActionDialogs } from '../unit/registry-unit';

vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/reveal-contact', () => ({
  revealContact: vi.fn(() => Promise.resolve({ workOrderId: 42, citizenName: '陈明', citizenPhone: '13812345678', revealedAt: '2025-06-12T03:00:00.000Z' })),
}));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(() => Promise.resolve([])), listCategoryTree: vi.fn(() => Promise.resolve([])) }));

const t = (key: string, named: Record<string, unknown>) => `${key}${Object.keys(named).length ? JSON.stringify(named) : ''}`;

function check(rules: ReturnType<typeof textRules>, value: unknown): string | null {
  let result: string | null = 'not called';
  const validator = rules[0].validator as (rule: unknown, value: unknown, callback: (error?: Error) => void) => void;
  validator({}, value, (error?: Error) => (result = error ? error.message : null));
  return result;
}

describe('action form rules (the DTOs’ limits)', () => {
  it('text: required, minimum and maximum after trimming', () => {
    const reason = textRules(t, { required: true, minLength: 2, maxLength: 2000 });
    expect(check(reason, '   ')).toBe('orderAction.rule.required');
    expect(check(reason, ' a ')).toBe('orderAction.rule.minLength{"min":2}');
    expect(check(reason, 'ab')).toBeNull();
    expect(check(reason, 'x'.repeat(2001))).toBe('orderAction.rule.maxLength{"max":2000}');
    const note = textRules(t, { required: false, maxLength: 2000 });
    expect(check(note, '')).toBeNull();
  });

  it('date-times: in the future and not after the parent’s deadline, read as the center’s clock', () => {
    const rule = futureRule(t, { required: true, notAfter: () => '2099-01-01T00:00:00.000Z' });
    expect(check(rule, null)).toBe('orderAction.rule.required');
    expect(check(rule, '2000-01-01 10:00:00')).toBe('orderAction.rule.future');
    expect(check(rule, '2099-01-01 08:00:00')).toBeNull(); // = 00:00 UTC
    expect(check(rule, '2099-01-01 08:01:00')).toBe('orderAction.rule.notAfterParent');
    expect(centerWallClockToIso('2026-12-03 17:30:00')).toBe('2026-12-03T17:30:00+08:00');
    expect(isoToCenterWallClock('2026-12-03T09:30:00.000Z')).toBe('2026-12-03 17:30:00');
  });
});

describe('unit action forms', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(performAction).mockReset();
    vi.mocked(performAction).mockResolvedValue(workOrderDetail());
  });

  function mountForm(form: Component, action: WorkOrderAction, order: WorkOrderDetail = workOrderDetail()) {
    return mount(form, {
      props: { order, action },
      attachTo: document.body,
      global: { plugins: [createPinia(), createAppI18n('zh-CN'), ElementPlus] },
    });
  }
  async function fill(wrapper: ReturnType<typeof mountForm>, selector: string, text: string) {
    await wrapper.find(`textarea${selector}, input${selector}, ${selector} textarea, ${selector} input`).setValue(text);
  }
  async function submit(wrapper: ReturnType<typeof mountForm>) {
    await wrapper.find('[data-test="action-submit"]').trigger('click');
    await flushPromises();
    await nextTick();
    await flushPromises();
  }

  it('registers a form for each unit action with more than a note', () => {
    expect(Object.keys(unitActionDialogs).sort()).toEqual(['assign', 'assist-reply', 'contact', 'reply', 'request-extension', 'return', 'sub-dispatch']);
  });

  it('return: needs a reason code and a reason of 2+ characters', async () => {
    const wrapper = mountForm(ReturnForm, 'return');
    await submit(wrapper);
    expect(performAction).not.toHaveBeenCalled();
    expect(wrapper.findAll('.el-form-item.is-error')).toHaveLength(2);
    // The options are the backend's reason codes with their labels.
    await wrapper.find('[data-test="return-reason-code"]').trigger('click');
    await flushPromises();
    const options = Array.from(document.querySelectorAll('.el-select-dropdown__item')).map((o) => o.textContent?.trim());
    expect(options).toEqual(['不属于本单位职责', '不属于本辖区', '重复工单', '需其他单位办理', '诉求信息不全', '其他']);
    (document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')[1]).click();
    await fill(wrapper, '[data-test="return-reason"]', '该地址属于和平里西街道');
    await submit(wrapper);
    expect(performAction).toHaveBeenCalledWith(42, 'return', { reasonCode: 'wrong_place', reason: '该地址属于和平里西街道', version: 3 });
  });

  it('contact: method (phone by default) and a note', async () => {
    const wrapper = mountForm(ContactForm, 'contact');
    expect(wrapper.find('[data-test="contact-citizen"]').text()).toContain('138****5678');
    await submit(wrapper);
    expect(performAction).not.toHaveBeenCalled();
    await fill(wrapper, '[data-test="contact-note"]', '已电话联系，约定明天上门');
    await submit(wrapper);
    expect(performAction).toHaveBeenCalledWith(42, 'contact', { method: 'phone', note: '已电话联系，约定明天上门', version: 3 });
  });

  it('contact: the lead unit may show the full number (recorded by the server)', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useUserStore().user = { id: 1, username: 'h', displayName: 'h', role: 'handler', unitId: 5, unit: null, active: true, mustChangePassword: false };
    const wrapper = mount(ContactForm, { props: { order: workOrderDetail(), action: 'contact' }, global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus] } });
    await wrapper.find('[data-test="contact-reveal"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="contact-citizen"]').text()).toContain('13812345678');
    expect(wrapper.find('[data-test="contact-citizen"]').text()).toContain('陈明');
    expect(wrapper.find('[data-test="contact-reveal"]').exists()).toBe(false);
  });

  it('contact: a confidential citizen is not shown', () => {
    const wrapper = mountForm(ContactForm, 'contact', workOrderDetail({ citizenConfidential: true, citizenName: null, citizenPhone: null }));
    expect(wrapper.find('[data-test="contact-citizen"]').text()).toContain('诉求人要求保密');
  });

  it('reply: needs the text; sends the uploaded files’ ids', async () => {
    const wrapper = mountForm(ReplyForm, 'reply');
    await submit(wrapper);
    expect(performAction).not.toHaveBeenCalled();
    await fill(wrapper, '[data-test="reply-content"]', '路灯已修复');
    await submit(wrapper);
    expect(performAction).toHaveBeenCalledWith(42, 'reply', { content: '路灯已修复', version: 3 });
  });

  it('assist-reply: starts from the part the unit sent before', async () => {
    const order = workOrderDetail({
      assistingUnits: [{ id: 7, code: 'B', name: '照明中心', dueAt: null, reply: '已派人检修', repliedAt: null, lateMinutes: null, overdue: false }],
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    useUserStore().user = { id: 1, username: 'a', displayName: 'a', role: 'handler', unitId: 7, unit: null, active: true, mustChangePassword: false };
    const wrapper = mount(ReplyForm, { props: { order, action: 'assist-reply' }, global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus] } });
    expect((wrapper.find('textarea[data-test="reply-content"]').element as HTMLTextAreaElement).value).toBe('已派人检修');
    expect(wrapper.text()).toContain('协办意见');
    wrapper.unmount();
  });

  it('request-extension: the date must be after the current deadline, and a reason is required', async () => {
    const wrapper = mountForm(RequestExtensionForm, 'request-extension', workOrderDetail({ replyDueAt: '2099-06-19T09:00:00.000Z' }));
    await submit(wrapper);
    expect(performAction).not.toHaveBeenCalled();
    expect(wrapper.findAll('.el-form-item.is-error')).toHaveLength(2);
  });

  it('sub-dispatch: a subordinate unit and an instruction are required', async () => {
    const wrapper = mountForm(SubDispatchForm, 'sub-dispatch');
    await submit(wrapper);
    expect(performAction).not.toHaveBeenCalled();
    expect(wrapper.findAll('.el-form-item.is-error')).toHaveLength(2);
  });
});

import { flushPromises } from '@vue/test-utils';
import { ElMessageBox } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type * as agentPhonesApi from '@/api/agent-phones';
import { deleteAgentPhone, listAgentPhones, listAgentUsers, putAgentPhone, type AgentPhone } from '@/api/agent-phones';
import type { UserAccount } from '@/api/models';
import { createAppI18n } from '@/locales';
import { mountView } from '@/testing/mount-view';
import AgentPhonesView from '../index.vue';
import { agentPhoneRules, passwordProblem, randomSipPassword } from '../rule';
import { phoneInput } from '../useAgentPhones';

vi.mock('@/api/agent-phones', async (importOriginal) => ({
  ...(await importOriginal<typeof agentPhonesApi>()),
  listAgentPhones: vi.fn(),
  putAgentPhone: vi.fn(),
  deleteAgentPhone: vi.fn(),
  listAgentUsers: vi.fn(),
}));

const phone: AgentPhone = { extension: '8001', userId: 2, username: 'agent1', displayName: '话务员张敏', realm: 'jiesu', realmIsCurrent: true, updatedAt: '2026-12-02T01:00:00.000Z' };
const agent = (id: number, username: string, displayName: string) => ({ id, username, displayName, role: 'agent', active: true, unitId: 1, mustChangePassword: false }) as UserAccount;

const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);

async function mountPhones() {
  const mounted = await mountView({ routes: [{ path: '/admin/agent-phones', component: AgentPhonesView }], path: '/admin/agent-phones' });
  await flushPromises();
  return mounted;
}

/** Types into an Element Plus input by its data-test (the attribute is on the native input). */
async function type(selector: string, value: string): Promise<void> {
  const input = q(`input[data-test="${selector}"]`) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}

/** Picks an option of the open agent select by its text. */
async function pickAgent(text: string): Promise<void> {
  q('[data-test="agent-phone-agent"] .el-select__wrapper')!.click();
  await flushPromises();
  const option = [...document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((item) => item.textContent?.includes(text));
  option!.click();
  await flushPromises();
}

describe('agent phone rules', () => {
  const t = createAppI18n('zh-CN').global.t;

  it('checks passwords as the API does: 8–64 characters, required for a new extension only', () => {
    expect(passwordProblem('', true)).toEqual({ key: 'adminAgentPhones.rule.passwordRequired' });
    expect(passwordProblem('', false)).toBeNull();
    expect(passwordProblem('1234567', false)).toMatchObject({ key: 'adminAgentPhones.rule.passwordLength' });
    expect(passwordProblem('x'.repeat(65), true)).toMatchObject({ key: 'adminAgentPhones.rule.passwordLength' });
    expect(passwordProblem('12345678', true)).toBeNull();
    const rules = agentPhoneRules((key, named) => t(key, named ?? {}), () => true);
    expect((rules.extension as { pattern?: RegExp }[])[1].pattern?.test('8001')).toBe(true);
    for (const bad of ['8', '80a1', '12345678901234567']) expect((rules.extension as { pattern?: RegExp }[])[1].pattern?.test(bad)).toBe(false);
    const password = (rules.password as { validator: (rule: unknown, value: string, callback: (error?: Error) => void) => void }[])[0];
    const problem = (value: string) => {
      let message: string | undefined;
      password.validator({}, value, (error) => (message = error?.message));
      return message;
    };
    expect(problem('short')).toBe('密码长度为 8–64 个字符');
    expect(problem('')).toBe('新分机需要设置密码');
    expect(problem('long-enough')).toBeUndefined();
  });

  it('generates passwords the API takes, from an alphabet without look-alikes', () => {
    const passwords = Array.from({ length: 50 }, () => randomSipPassword());
    for (const password of passwords) {
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
      expect(passwordProblem(password, true)).toBeNull();
    }
    expect(new Set(passwords).size).toBe(50);
  });

  it('sends the password only when one was typed', () => {
    expect(phoneInput({ extension: '8001', userId: 2, password: '' })).toEqual({ userId: 2 });
    expect(phoneInput({ extension: '8001', userId: 2, password: 'secret-123' })).toEqual({ userId: 2, password: 'secret-123' });
  });
});

describe('agent phones page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listAgentPhones).mockReset().mockResolvedValue([phone, { ...phone, extension: '8002', userId: 3, username: 'agent2', displayName: '话务员李娜', realmIsCurrent: false }]);
    vi.mocked(listAgentUsers).mockReset().mockResolvedValue([agent(2, 'agent1', '话务员张敏'), agent(3, 'agent2', '话务员李娜'), agent(7, 'agent7', '话务员周杰')]);
    vi.mocked(putAgentPhone).mockReset();
    vi.mocked(deleteAgentPhone).mockReset();
  });

  it('lists the extensions with their agents, and flags a password set under another realm', async () => {
    const { wrapper } = await mountPhones();
    expect(wrapper.find('[data-test="agent-phones"]').attributes('data-state')).toBe('loaded');
    const table = wrapper.find('[data-test="agent-phone-table"]').text();
    expect(table).toContain('8001');
    expect(table).toContain('话务员张敏');
    expect(table).toContain('agent2');
    expect(wrapper.findAll('[data-test="agent-phone-realm-changed"]')).toHaveLength(1);
  });

  it('creates an extension for an agent without one; agents who have one cannot be picked', async () => {
    vi.mocked(putAgentPhone).mockResolvedValue({ ...phone, extension: '8007', userId: 7, username: 'agent7', displayName: '话务员周杰' });
    await mountPhones();
    q('[data-test="agent-phone-add"]')!.click();
    await flushPromises();
    await type('agent-phone-extension-input', '8007');
    q('[data-test="agent-phone-agent"] .el-select__wrapper')!.click();
    await flushPromises();
    const taken = [...document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((item) => item.textContent?.includes('话务员张敏'));
    expect(taken?.classList.contains('is-disabled')).toBe(true);
    expect(taken?.textContent).toContain('已有分机 8001');
    await pickAgent('话务员周杰');
    await type('agent-phone-password', 'sip-pass-8007');
    q('[data-test="agent-phone-save"]')!.click();
    await flushPromises();
    expect(putAgentPhone).toHaveBeenCalledWith('8007', { userId: 7, password: 'sip-pass-8007' });
    expect(listAgentPhones).toHaveBeenCalledTimes(2);
  });

  it('refuses a new extension without a valid password before sending', async () => {
    await mountPhones();
    q('[data-test="agent-phone-add"]')!.click();
    await flushPromises();
    await type('agent-phone-extension-input', '8007');
    await pickAgent('话务员周杰');
    await type('agent-phone-password', 'short');
    q('[data-test="agent-phone-save"]')!.click();
    await flushPromises();
    expect(putAgentPhone).not.toHaveBeenCalled();
    // The password's field is marked wrong (Element Plus shows its message through a transition jsdom does not run).
    expect(q('input[data-test="agent-phone-password"]')?.closest('.el-form-item')?.classList.contains('is-error')).toBe(true);
    expect(q('input[data-test="agent-phone-extension-input"]')?.closest('.el-form-item')?.classList.contains('is-error')).toBe(false);
  });

  it('changes an extension’s password, keeps it when left empty, and explains the API’s refusals', async () => {
    vi.mocked(putAgentPhone).mockRejectedValueOnce(new ApiError('agent1 already has extension 8009', { kind: 'server', statusCode: 409 })).mockResolvedValue(phone);
    await mountPhones();
    q('[data-test="agent-phone-edit-8001"]')!.click();
    await flushPromises();
    expect((q('input[data-test="agent-phone-extension-input"]') as HTMLInputElement).disabled).toBe(true);
    q('[data-test="agent-phone-save"]')!.click();
    await flushPromises();
    expect(putAgentPhone).toHaveBeenLastCalledWith('8001', { userId: 2 });
    expect(q('[data-test="agent-phone-form-error"]')?.textContent).toContain('该话务员已有其他分机');
    q('[data-test="agent-phone-generate"]')!.click();
    await flushPromises();
    const generated = (q('input[data-test="agent-phone-password"]') as HTMLInputElement).value;
    expect(generated).toHaveLength(16);
    q('[data-test="agent-phone-save"]')!.click();
    await flushPromises();
    expect(putAgentPhone).toHaveBeenLastCalledWith('8001', { userId: 2, password: generated });
  });

  it('removes an extension after confirming; a call in progress (409) is explained', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
    vi.mocked(deleteAgentPhone).mockResolvedValueOnce(undefined).mockRejectedValueOnce(new ApiError('ringing', { kind: 'server', statusCode: 409 }));
    const { ElMessage } = await import('element-plus');
    const error = vi.spyOn(ElMessage, 'error');
    await mountPhones();
    q('[data-test="agent-phone-remove-8001"]')!.click();
    await flushPromises();
    expect(confirm.mock.calls[0][0]).toContain('删除分机 8001（话务员张敏）');
    expect(deleteAgentPhone).toHaveBeenCalledWith('8001');
    q('[data-test="agent-phone-remove-8002"]')!.click();
    await flushPromises();
    expect(error).toHaveBeenCalledWith('该分机正在振铃或通话，通话结束后再删除');
    confirm.mockRejectedValueOnce('cancel');
    q('[data-test="agent-phone-remove-8001"]')!.click();
    await flushPromises();
    expect(deleteAgentPhone).toHaveBeenCalledTimes(2);
  });
});

import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppI18n } from '@/locales';
import OneTimePasswordDialog from '../components/OneTimePasswordDialog.vue';

const result = {
  user: { id: 40, username: 'li.na', displayName: '李娜', role: 'agent' as const, unitId: 1, unit: null, active: true, mustChangePassword: true },
  oneTimePassword: 'Tmp-4f9K-2xQp',
};

const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);

function mountDialog(props: { result: typeof result | null; reset?: boolean }, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(OneTimePasswordDialog, { props, attachTo: document.body, global: { plugins: [ElementPlus, createAppI18n(locale)] } });
}

describe('one-time password dialog', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the password with whom it is for, and that it is shown only once', async () => {
    mountDialog({ result });
    await flushPromises();
    expect(q('[data-test="one-time-password"]')?.textContent).toBe('Tmp-4f9K-2xQp');
    const text = q('[data-test="one-time-password-dialog"]')?.textContent ?? '';
    expect(text).toContain('用户已创建');
    expect(text).toContain('李娜（li.na）');
    expect(text).toContain('只显示这一次');
  });

  it('says so in English, and titles a reset as such', async () => {
    mountDialog({ result, reset: true }, 'en');
    await flushPromises();
    const text = q('[data-test="one-time-password-dialog"]')?.textContent ?? '';
    expect(text).toContain('Password reset');
    expect(text).toContain('shown only this once');
  });

  it('is closed without a result', async () => {
    mountDialog({ result: null });
    await flushPromises();
    expect(q('[data-test="one-time-password"]')).toBeNull();
  });

  it('copies the password and closes on "noted"', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const wrapper = mountDialog({ result });
    await flushPromises();
    q('[data-test="one-time-password-copy"]')!.click();
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('Tmp-4f9K-2xQp');
    q('[data-test="one-time-password-done"]')!.click();
    expect(wrapper.emitted('close')).toBeTruthy();
  });
});

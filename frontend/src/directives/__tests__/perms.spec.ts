import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref, withDirectives } from 'vue';
import type { Role } from '@/api/models';
import { useUserStore } from '@/store/modules/user';
import { type PermsValue, permitted, vPerms } from '../perms';

function signInAs(role: Role): void {
  useUserStore().user = { id: 1, username: 'u', displayName: 'U', role, unitId: 1, unit: null, active: true, mustChangePassword: false };
}

describe('permitted', () => {
  it('limits by role', () => {
    expect(permitted(['admin'], 'admin')).toBe(true);
    expect(permitted(['admin'], 'agent')).toBe(false);
    expect(permitted(['admin'], undefined)).toBe(false);
  });

  it('limits by the order’s allowed actions', () => {
    expect(permitted({ action: 'dispatch', allowed: ['dispatch', 'invalidate'] }, 'dispatcher')).toBe(true);
    expect(permitted({ action: 'dispatch', allowed: ['invalidate'] }, 'dispatcher')).toBe(false);
    expect(permitted({ action: 'dispatch', allowed: null }, 'dispatcher')).toBe(false);
  });

  it('needs both when both are given, and nothing when nothing is asked', () => {
    expect(permitted({ roles: ['supervisor'], action: 'supervise', allowed: ['supervise'] }, 'dispatcher')).toBe(false);
    expect(permitted({ roles: ['supervisor'], action: 'supervise', allowed: ['supervise'] }, 'supervisor')).toBe(true);
    expect(permitted(undefined, 'agent')).toBe(true);
  });
});

describe('v-perms', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('hides the element and shows it again when the value changes', async () => {
    signInAs('handler');
    const value = ref<PermsValue>({ action: 'accept', allowed: [] });
    const wrapper = mount(defineComponent(() => () => withDirectives(h('button', { id: 'accept' }, 'accept'), [[vPerms, value.value]])));
    const button = wrapper.get('#accept').element as HTMLElement;
    expect(button.style.display).toBe('none');
    expect(button.hasAttribute('data-perms-hidden')).toBe(true);
    value.value = { action: 'accept', allowed: ['accept'] };
    await wrapper.vm.$nextTick();
    expect(button.style.display).toBe('');
    expect(button.hasAttribute('data-perms-hidden')).toBe(false);
  });
});

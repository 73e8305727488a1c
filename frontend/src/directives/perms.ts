import type { Directive, DirectiveBinding } from 'vue';
import type { Role, WorkOrderAction } from '@/api/models';
import { useUserStore } from '@/store/modules/user';

/**
 * What `v-perms` asks for:
 * - a list of roles: shown to those roles only (`v-perms="['admin', 'supervisor']"`);
 * - `{ action, allowed }`: shown only when the order's `allowedActions` (the server's verdict) has the action;
 * - both (`{ roles, action, allowed }`): both must hold.
 * The server stays the authority: a hidden button is a convenience, every call is checked again there.
 */
export type PermsValue = readonly Role[] | { roles?: readonly Role[]; action?: WorkOrderAction; allowed?: readonly string[] | null };

export function permitted(value: PermsValue | null | undefined, role: Role | undefined): boolean {
  if (!value) return true;
  const rule = Array.isArray(value) ? { roles: value as readonly Role[] } : (value as Exclude<PermsValue, readonly Role[]>);
  if (rule.roles && (!role || !rule.roles.includes(role))) return false;
  if (rule.action !== undefined && !(rule.allowed ?? []).includes(rule.action)) return false;
  return true;
}

type PermsElement = HTMLElement & { __permsDisplay?: string };

function apply(element: PermsElement, binding: DirectiveBinding<PermsValue | null | undefined>): void {
  const role = useUserStore().user?.role;
  if (element.__permsDisplay === undefined) element.__permsDisplay = element.style.display;
  const show = permitted(binding.value, role);
  element.style.display = show ? element.__permsDisplay : 'none';
  element.toggleAttribute('data-perms-hidden', !show);
}

/** `v-perms`: hides the element unless the signed-in user's role and the order's allowed actions permit it. */
export const vPerms: Directive<PermsElement, PermsValue | null | undefined> = {
  mounted: apply,
  updated: apply,
};

declare module 'vue' {
  interface ComponentCustomProperties {
    /** Registered globally in main.ts. */
    vPerms: typeof vPerms;
  }
}

/**
 * Roles at the hotline center (level 1). `auditor` (安全审计员, 等保 2.0 三员分立) reads the audit trail and nothing
 * else: no work orders, no lifecycle action, no administration.
 */
export const CENTER_ROLES = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin', 'auditor'] as const;
/** Roles inside a handling department (承办单位). */
export const UNIT_ROLES = ['handler', 'unit_admin'] as const;
export const ROLES = [...CENTER_ROLES, ...UNIT_ROLES] as const;

export type CenterRole = (typeof CENTER_ROLES)[number];
export type UnitRole = (typeof UNIT_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** Every role that works with work orders (lists, detail, registration, attachments): all but the auditor. */
export const WORK_ORDER_ROLES: readonly Exclude<Role, 'auditor'>[] = ROLES.filter((role): role is Exclude<Role, 'auditor'> => role !== 'auditor');

export function isUnitRole(role: Role): role is UnitRole {
  return (UNIT_ROLES as readonly string[]).includes(role);
}

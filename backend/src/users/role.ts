/** Roles at the hotline center (level 1). */
export const CENTER_ROLES = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin'] as const;
/** Roles inside a handling department (承办单位). */
export const UNIT_ROLES = ['handler', 'unit_admin'] as const;
export const ROLES = [...CENTER_ROLES, ...UNIT_ROLES] as const;

export type CenterRole = (typeof CENTER_ROLES)[number];
export type UnitRole = (typeof UNIT_ROLES)[number];
export type Role = (typeof ROLES)[number];

export function isUnitRole(role: Role): role is UnitRole {
  return (UNIT_ROLES as readonly string[]).includes(role);
}

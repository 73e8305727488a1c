import type { Role } from '@/api/models';

/** Where each role lands after signing in (`/`): its own workspace. */
export const ROLE_HOME: Record<Role, string> = {
  agent: '/intake',
  dispatcher: '/center',
  reviewer: '/center',
  callback_agent: '/center',
  supervisor: '/dashboard',
  admin: '/dashboard',
  auditor: '/audit',
  handler: '/inbox',
  unit_admin: '/inbox',
};

import type { FormRules } from 'element-plus';
import type { Role } from '@/api/models';

/** The account form; the username is set once, at creation. */
export interface UserForm {
  username: string;
  displayName: string;
  role: Role | '';
  unitId: number | null;
}

/** As the backend's USERNAME_PATTERN: 2–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

type Translate = (key: string) => string;

/** The server's limits (CreateUserDto / UpdateUserDto), checked before sending. */
export function userRules(t: Translate): FormRules<UserForm> {
  return {
    username: [
      { required: true, message: t('adminUsers.rule.usernameRequired'), trigger: 'blur' },
      { pattern: USERNAME_PATTERN, message: t('adminUsers.rule.usernamePattern'), trigger: 'blur' },
    ],
    displayName: [
      { required: true, whitespace: true, message: t('adminUsers.rule.displayNameRequired'), trigger: 'blur' },
      { max: 64, message: t('adminUsers.rule.displayNameTooLong'), trigger: 'blur' },
    ],
    role: [{ required: true, message: t('adminUsers.rule.roleRequired'), trigger: 'change' }],
    unitId: [{ required: true, type: 'number', message: t('adminUsers.rule.unitRequired'), trigger: 'change' }],
  };
}

import type { FormRules } from 'element-plus';
import type { LoginRequest } from '@/api/models';

export function createLoginRules(t: (key: string) => string): FormRules<LoginRequest> {
  return {
    username: [{ required: true, whitespace: true, message: t('login.usernameRequired'), trigger: 'blur' }],
    password: [{ required: true, message: t('login.passwordRequired'), trigger: 'blur' }],
  };
}

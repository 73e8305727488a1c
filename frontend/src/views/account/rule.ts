import type { FormItemRule, FormRules } from 'element-plus';

/** The password change form; `confirmPassword` stays in the browser. */
export interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** The backend's policy (backend/src/users/password-policy.ts): 10 to 256 characters with letters and digits. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** What is wrong with a new password, as a locale key, or null; mirrors the server so that it rarely has to refuse. */
export function newPasswordProblem(password: string, currentPassword: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'account.tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'account.tooLong';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'account.lettersAndDigits';
  if (password === currentPassword) return 'account.sameAsCurrent';
  return null;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** A rule that fails with the translated message of `problem`'s locale key. */
function check(problem: (value: string) => string | null, t: Translate): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => {
      const key = problem(value ?? '');
      callback(key ? new Error(t(key, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })) : undefined);
    },
  };
}

export function createChangePasswordRules(form: ChangePasswordForm, t: Translate): FormRules<ChangePasswordForm> {
  return {
    currentPassword: [{ required: true, message: t('account.currentRequired'), trigger: 'blur' }],
    newPassword: [
      { required: true, message: t('account.newRequired'), trigger: 'blur' },
      check((value) => newPasswordProblem(value, form.currentPassword), t),
    ],
    confirmPassword: [
      { required: true, message: t('account.confirmRequired'), trigger: 'blur' },
      check((value) => (value === form.newPassword ? null : 'account.mismatch'), t),
    ],
  };
}

import type { FormItemRule, FormRules } from 'element-plus';
import { EXTENSION_PATTERN, SIP_PASSWORD_MAX, SIP_PASSWORD_MIN } from '@/api/agent-phones';

/** The extension form: a new extension needs its password; an existing one keeps it when the field is left empty. */
export interface AgentPhoneForm {
  extension: string;
  userId: number | null;
  password: string;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The problem with a SIP password as a locale key and values; null when the API takes it. */
export function passwordProblem(password: string, required: boolean): { key: string; values?: Record<string, number> } | null {
  if (!password) return required ? { key: 'adminAgentPhones.rule.passwordRequired' } : null;
  if (password.length < SIP_PASSWORD_MIN || password.length > SIP_PASSWORD_MAX) {
    return { key: 'adminAgentPhones.rule.passwordLength', values: { min: SIP_PASSWORD_MIN, max: SIP_PASSWORD_MAX } };
  }
  return null;
}

/** The API's limits (PutAgentPhoneDto, the extension's pattern), checked before sending. */
export function agentPhoneRules(t: Translate, isNew: () => boolean): FormRules<AgentPhoneForm> {
  const password: FormItemRule = {
    // Also while typing: a message shown after a too short try goes away as soon as the password is long enough.
    trigger: ['blur', 'change'],
    validator: (_rule, value: string, callback) => {
      const problem = passwordProblem(value ?? '', isNew());
      callback(problem ? new Error(t(problem.key, problem.values)) : undefined);
    },
  };
  return {
    extension: [
      { required: true, message: t('adminAgentPhones.rule.extensionRequired'), trigger: 'blur' },
      { pattern: EXTENSION_PATTERN, message: t('adminAgentPhones.rule.extensionPattern'), trigger: 'blur' },
    ],
    userId: [{ required: true, type: 'number', message: t('adminAgentPhones.rule.agentRequired'), trigger: 'change' }],
    password: [password],
  };
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random SIP password (16 characters without look-alikes such as 0/O and 1/l), from the browser's CSPRNG. */
export function randomSipPassword(length = 16): string {
  const bytes = new Uint8Array(length);
  // 256 is not a multiple of the alphabet's size: drop the biased top values and draw again.
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  let password = '';
  while (password.length < length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && password.length < length) password += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return password;
}

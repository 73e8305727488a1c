import type { FormItemRule } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { wallClockTime } from './center-time';

export type Translate = (key: string, named: Record<string, unknown>) => string;

/** The translator the rule builders take: vue-i18n's `t` with named values. */
export function useRuleTranslate(): Translate {
  const { t } = useI18n();
  return (key, named) => t(key, named);
}

/**
 * el-form rules for a text the backend limits (class-validator MinLength/MaxLength on the DTO): required or not,
 * counted after trimming the ends as the user sees them.
 */
export function textRules(t: Translate, limits: { required: boolean; minLength?: number; maxLength: number }): FormItemRule[] {
  const min = limits.minLength ?? (limits.required ? 1 : 0);
  return [
    {
      trigger: 'blur',
      validator: (_rule, value: unknown, callback) => {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text === '') {
          if (limits.required) callback(new Error(t('orderAction.rule.required', {})));
          else callback();
        } else if (text.length < min) callback(new Error(t('orderAction.rule.minLength', { min })));
        else if (text.length > limits.maxLength) callback(new Error(t('orderAction.rule.maxLength', { max: limits.maxLength })));
        else callback();
      },
    },
  ];
}

/** A choice that must be made (select, unit, date). */
export function requiredRule(t: Translate, trigger: 'change' | 'blur' = 'change'): FormItemRule[] {
  return [
    {
      trigger,
      validator: (_rule, value: unknown, callback) =>
        value === null || value === undefined || value === '' ? callback(new Error(t('orderAction.rule.required', {}))) : callback(),
    },
  ];
}

/** A picked date-time (center wall clock, see center-time.ts) that must lie in the future and, optionally, not after `notAfter` (an instant). */
export function futureRule(t: Translate, options: { required: boolean; notAfter?: () => string | null }): FormItemRule[] {
  return [
    {
      trigger: 'change',
      validator: (_rule, value: unknown, callback) => {
        if (value === null || value === undefined || value === '') {
          return options.required ? callback(new Error(t('orderAction.rule.required', {}))) : callback();
        }
        const at = wallClockTime(typeof value === 'string' ? value : null);
        if (!Number.isFinite(at) || at <= Date.now()) return callback(new Error(t('orderAction.rule.future', {})));
        const limit = options.notAfter?.();
        if (limit && at > new Date(limit).getTime()) return callback(new Error(t('orderAction.rule.notAfterParent', {})));
        callback();
      },
    },
  ];
}

import type { FormItemRule, FormRules } from 'element-plus';
import { RULING_REASON_LIMITS, type RuleBody } from '@/api/shirking';

/** 裁定: what the ruling dialog holds. */
export interface RuleForm {
  leadUnitId: number | null;
  assistingUnitIds: number[];
  reason: string;
}

export function emptyRuleForm(): RuleForm {
  return { leadUnitId: null, assistingUnitIds: [], reason: '' };
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** A lead unit must be chosen; the reason is required (2–2000 characters once trimmed), as the backend checks. */
export function createRuleFormRules(t: Translate): FormRules<RuleForm> {
  const lead: FormItemRule = {
    trigger: 'change',
    validator: (_rule, value: unknown, callback) => (typeof value === 'number' ? callback() : callback(new Error(t('repeats.ruling.leadRequired')))),
  };
  const reason: FormItemRule = {
    // Checked on every change too, so that the message goes as soon as the reason is written.
    trigger: ['blur', 'change'],
    validator: (_rule, value: unknown, callback) => {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '') callback(new Error(t('repeats.ruling.reasonRequired')));
      else if (text.length < RULING_REASON_LIMITS.minLength) callback(new Error(t('repeats.ruling.reasonTooShort', { min: RULING_REASON_LIMITS.minLength })));
      else if (text.length > RULING_REASON_LIMITS.maxLength) callback(new Error(t('repeats.ruling.reasonTooLong', { max: RULING_REASON_LIMITS.maxLength })));
      else callback();
    },
  };
  return { leadUnitId: [lead], reason: [reason] };
}

/** The body of POST …/rule (the version is the order's): the lead never assists too; no empty list. */
export function ruleBody(form: RuleForm, version: number): RuleBody {
  if (form.leadUnitId === null) throw new Error('A lead unit is required to rule');
  const assisting = [...new Set(form.assistingUnitIds.filter((id) => id !== form.leadUnitId))];
  return {
    version,
    leadUnitId: form.leadUnitId,
    ...(assisting.length ? { assistingUnitIds: assisting } : {}),
    reason: form.reason.trim(),
  };
}

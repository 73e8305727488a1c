import type { ShirkingFlag } from '@/api/shirking';

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** A rule's name in the console's language (an unknown, newer rule shows its code). */
export function shirkingRuleLabel(rule: string, t: Translate, te: (key: string) => boolean): string {
  const key = `shirking.rule.${rule}`;
  return te(key) ? t(key) : rule;
}

/** One flag as a tag's text: the rule, how often it happened, and the unit it is about. */
export function shirkingFlagText(flag: Pick<ShirkingFlag, 'rule' | 'count' | 'unitName'>, t: Translate, te: (key: string) => boolean): string {
  const label = shirkingRuleLabel(flag.rule, t, te);
  const counted = flag.count > 1 ? t('shirking.reasonCount', { label, count: flag.count }) : label;
  return flag.unitName ? t('shirking.reasonUnit', { label: counted, unit: flag.unitName }) : counted;
}

/** 退单率 as a percentage with one decimal (0.1234 → "12.3%"). */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

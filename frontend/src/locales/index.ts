import type { Language } from 'element-plus/es/locale';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { computed } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import en from './en';
import { CENTER_TIME_ZONE } from '@/utils/date';
import type { FeatureMessages } from './feature';
import zhCN, { type MessageSchema } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'jiesu.locale';

/** Every feature's `locale.ts` (views/<feature>/locale.ts, and the layout's), merged under its namespace. */
const featureModules = import.meta.glob<{ default: FeatureMessages }>(['../views/**/locale.ts', '../layout/locale.ts'], { eager: true });
export const featureMessages: readonly FeatureMessages[] = Object.values(featureModules).map((module) => module.default);

function withFeatures(locale: AppLocale, base: MessageSchema): MessageSchema {
  const merged: Record<string, unknown> = { ...base };
  for (const feature of featureMessages) {
    if (feature.namespace in merged) throw new Error(`Locale namespace "${feature.namespace}" is used twice`);
    merged[feature.namespace] = feature[locale];
  }
  return merged as MessageSchema;
}

export const messages: Record<AppLocale, MessageSchema> = { 'zh-CN': withFeatures('zh-CN', zhCN), en: withFeatures('en', en) };

const elementLocales: Record<AppLocale, Language> = { 'zh-CN': elementZhCn, en: elementEn };

const dateTimeFormat = {
  dateTime: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    // Deadlines are the center's office hours: show them in its zone, not the browser's.
    timeZone: CENTER_TIME_ZONE,
  },
} as const;

function isAppLocale(value: string | null): value is AppLocale {
  return (LOCALES as readonly (string | null)[]).includes(value);
}

export function storedLocale(): AppLocale {
  const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
  return isAppLocale(stored) ? stored : DEFAULT_LOCALE;
}

export function createAppI18n(locale: AppLocale = storedLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages,
    datetimeFormats: { 'zh-CN': dateTimeFormat, en: dateTimeFormat },
  });
}

/** The console's language; Element Plus's own texts (pagination, date picker…) follow it. */
export function useAppLocale() {
  const { locale } = useI18n();
  const current = computed(() => (isAppLocale(locale.value) ? locale.value : DEFAULT_LOCALE));
  const elementLocale = computed(() => elementLocales[current.value]);

  function setLocale(next: AppLocale): void {
    locale.value = next;
    localStorage.setItem(LOCALE_STORAGE_KEY, next);
    document.documentElement.lang = next;
  }

  return { locale: current, elementLocale, setLocale };
}

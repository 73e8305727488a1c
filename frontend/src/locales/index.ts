import type { Language } from 'element-plus/es/locale';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { computed, shallowReactive } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import { CENTER_TIME_ZONE } from '@/utils/date';
import { withFeatures, type FeatureMessages } from './feature';
import zhCN, { type MessageSchema } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'jiesu.locale';

/** A language's messages (the shared files plus every feature's) and Element Plus's own texts in it. */
export interface LocaleBundle {
  messages: MessageSchema;
  element: Language;
}

/**
 * Chinese, the default and the fallback, is in the entry: every feature's `locale.ts` (views/<feature>/locale.ts,
 * and the layout's), merged under its namespace — imported with `?lang=zh-CN`, so each brings its Chinese texts only
 * (build/feature-locales.ts). Other languages are chunks of their own, loaded when chosen (`loadLocale`).
 */
const zhFeatures = import.meta.glob<FeatureMessages>(['../views/**/locale.ts', '../layout/locale.ts', '../telephony/locale.ts'], {
  eager: true,
  import: 'default',
  query: { lang: 'zh-CN' },
});

const bundles = shallowReactive<Partial<Record<AppLocale, LocaleBundle>>>({
  'zh-CN': { messages: withFeatures('zh-CN', zhCN, Object.values(zhFeatures)), element: elementZhCn },
});
const loaders: Record<Exclude<AppLocale, typeof DEFAULT_LOCALE>, () => Promise<LocaleBundle>> = {
  en: () => import('./en-bundle').then((module) => module.default),
};

/** Loads a language's messages once (the default language is always there). */
export async function loadLocale(locale: AppLocale): Promise<LocaleBundle> {
  const loaded = bundles[locale];
  if (loaded) return loaded;
  const bundle = await loaders[locale as keyof typeof loaders]();
  bundles[locale] = bundle;
  return bundle;
}

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

/** The messages of every language loaded so far (`loadLocale` first to start in another than Chinese). */
function loadedMessages(): Partial<Record<AppLocale, MessageSchema>> {
  const messages: Partial<Record<AppLocale, MessageSchema>> = {};
  for (const locale of LOCALES) {
    const bundle = bundles[locale];
    if (bundle) messages[locale] = bundle.messages;
  }
  return messages;
}

export function createAppI18n(locale: AppLocale = storedLocale()) {
  return createI18n({
    legacy: false,
    locale: bundles[locale] ? locale : DEFAULT_LOCALE,
    fallbackLocale: DEFAULT_LOCALE,
    messages: loadedMessages(),
    datetimeFormats: { 'zh-CN': dateTimeFormat, en: dateTimeFormat },
  });
}

/** The console's language; Element Plus's own texts (pagination, date picker…) follow it. */
export function useAppLocale() {
  const i18n = useI18n();
  const { locale } = i18n;
  const current = computed(() => (isAppLocale(locale.value) ? locale.value : DEFAULT_LOCALE));
  const elementLocale = computed(() => (bundles[current.value] ?? bundles[DEFAULT_LOCALE]!).element);

  function apply(next: AppLocale, bundle: LocaleBundle): void {
    i18n.setLocaleMessage(next, bundle.messages);
    locale.value = next;
    localStorage.setItem(LOCALE_STORAGE_KEY, next);
    document.documentElement.lang = next;
  }

  /** Switches at once when the language is loaded, else as soon as its chunk has arrived. */
  function setLocale(next: AppLocale): void {
    const loaded = bundles[next];
    if (loaded) apply(next, loaded);
    else void loadLocale(next).then((bundle) => apply(next, bundle));
  }

  return { locale: current, elementLocale, setLocale };
}

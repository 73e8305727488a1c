import elementEn from 'element-plus/es/locale/lang/en';
import en from './en';
import { withFeatures, type FeatureMessages } from './feature';
import type { LocaleBundle } from '.';

/** English, a chunk of its own: loaded when a user chooses it (locales/index.ts `loadLocale`). */
const enFeatures = import.meta.glob<FeatureMessages>(['../views/**/locale.ts', '../layout/locale.ts', '../telephony/locale.ts'], {
  eager: true,
  import: 'default',
  query: { lang: 'en' },
});

const bundle: LocaleBundle = { messages: withFeatures('en', en, Object.values(enFeatures)), element: elementEn };
export default bundle;

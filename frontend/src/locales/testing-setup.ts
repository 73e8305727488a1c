// Vitest setup (vite.config.ts): every language loaded before the tests, as `createAppI18n(locale)` is synchronous.
import { loadLocale, LOCALES } from '.';

await Promise.all(LOCALES.map((locale) => loadLocale(locale)));

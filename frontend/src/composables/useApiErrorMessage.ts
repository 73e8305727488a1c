import { useI18n } from 'vue-i18n';
import { describeError } from '@/utils/error-message';

/**
 * The translated text for a failed API call (by the backend's error `code`, else its HTTP status), for ElMessage
 * and form alerts: `const { message } = useApiErrorMessage(); ElMessage.error(message(error))`.
 * `isConflict(error)` tells a 409 (the order changed meanwhile, or the action is no longer allowed): reload.
 */
export function useApiErrorMessage() {
  const i18n = useI18n();
  return {
    message: (error: unknown): string =>
      describeError(error, { t: (key, named) => i18n.t(key, named), te: (key) => i18n.te(key), locale: i18n.locale.value }),
    isConflict: (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 409,
  };
}

import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/api-error';
import { CAPTCHA_ERROR_CODES } from '@/api/portal';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';

/** Whether the server refused the captcha (it is used up: the portal shows a new one). */
export function isCaptchaError(error: unknown): boolean {
  return error instanceof ApiError && (CAPTCHA_ERROR_CODES as readonly (string | null)[]).includes(error.code);
}

/**
 * The portal's words for its own refusals (a captcha, too many attempts, no such request), the console's for the rest
 * (validation, files too large, the server unreachable…).
 */
export function usePortalError() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  return {
    portalMessage: (error: unknown, options: { notFound?: boolean } = {}): string => {
      if (error instanceof ApiError) {
        if (isCaptchaError(error) && error.code) return t(`portal.errors.${error.code}`);
        if (error.statusCode === 429) {
          const seconds = Number((error.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds) || 60;
          return t('portal.errors.rateLimited', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
        }
        if (options.notFound && error.statusCode === 404) return t('portal.errors.notFound');
      }
      return message(error);
    },
  };
}

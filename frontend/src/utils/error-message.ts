import { ApiError } from '@/api/api-error';
import { PASSWORD_CHANGE_REQUIRED } from '@/api/types';

type Translate = (key: string, named: Record<string, unknown>) => string;

/**
 * What to tell the user about a failed call: the server's own message when it sent one,
 * otherwise a translated description. Server errors (5xx) carry the correlation id for support.
 */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('errors.unknown', {});
  // The console is already on its way to the password change (router/guard.ts): say why rather than refuse.
  if (error.code === PASSWORD_CHANGE_REQUIRED) return t('account.mustChangeNotice', {});
  switch (error.kind) {
    case 'server':
      return error.statusCode >= 500 && error.correlationId
        ? t('errors.withCorrelationId', { message: error.message, id: error.correlationId })
        : error.message;
    case 'http':
      return t('errors.http', { status: error.statusCode });
    case 'network':
      return t('errors.network', {});
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CanceledError' || error.name === 'AbortError');
}

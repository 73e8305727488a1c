import { ApiError } from '@/api/api-error';
import { PASSWORD_CHANGE_REQUIRED } from '@/api/models';

export interface Translator {
  t: (key: string, named: Record<string, unknown>) => string;
  /** Whether a message exists for the key. */
  te: (key: string) => boolean;
  locale: string;
}

/** HTTP statuses with their own message (errors.status.<status>); others fall back to errors.http. */
const TRANSLATED_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 423, 429, 500, 502, 503, 504];

/** The names of the fields a 400 names in its `details.fields`, translated where the console knows them. */
function fieldList(error: ApiError, { t, te }: Translator): string | null {
  const details = error.details as { fields?: unknown } | null;
  if (!details || !Array.isArray(details.fields)) return null;
  const names = details.fields
    .map((entry: unknown) => (typeof entry === 'object' && entry !== null ? (entry as { field?: unknown }).field : entry))
    .filter((field): field is string => typeof field === 'string')
    .map((field) => (te(`errors.field.${field}`) ? t(`errors.field.${field}`, {}) : field));
  return names.length ? [...new Set(names)].join('、') : null;
}

/**
 * What to tell the user about a failed call, in the console's language: the backend's machine-readable `code`
 * (errors.code.<CODE>) or its HTTP status (errors.status.<status>) chooses the message; in English the server's own,
 * more specific message is shown instead. Server faults (5xx) carry the correlation id for support.
 */
export function describeError(error: unknown, translator: Translator): string {
  const { t, te, locale } = translator;
  if (!(error instanceof ApiError)) return t('errors.unknown', {});
  // The console is already on its way to the password change (router/guard.ts): say why rather than refuse.
  if (error.code === PASSWORD_CHANGE_REQUIRED) return t('account.mustChangeNotice', {});
  if (error.kind === 'network') return t('errors.network', {});
  let text: string;
  if (error.kind === 'server' && locale === 'en' && error.message) text = error.message;
  else if (error.code && te(`errors.code.${error.code}`)) text = t(`errors.code.${error.code}`, { fields: fieldList(error, translator) ?? '' });
  else if (TRANSLATED_STATUSES.includes(error.statusCode)) text = t(`errors.status.${error.statusCode}`, {});
  else text = t('errors.http', { status: error.statusCode });
  return error.statusCode >= 500 && error.correlationId ? t('errors.withCorrelationId', { message: text, id: error.correlationId }) : text;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CanceledError' || error.name === 'AbortError');
}

/**
 * Where an {@link ApiError} came from:
 * - `server`: the backend answered with its error body; `message` is the backend's own message.
 * - `http`: an HTTP error without that body (e.g. a proxy's 502 page); `message` is axios's.
 * - `network`: no answer at all.
 */
export type ApiErrorKind = 'server' | 'http' | 'network';

export interface ApiErrorDetails {
  kind: ApiErrorKind;
  /** HTTP status; 0 when there was no answer. */
  statusCode: number;
  /** The HTTP reason phrase from the error body, e.g. `Unauthorized`. */
  error?: string | null;
  /** The body's machine-readable reason, e.g. `PASSWORD_CHANGE_REQUIRED`. */
  code?: string | null;
  correlationId?: string | null;
  /** The body's `details`, e.g. `{ fields: [{ field, constraints }] }` of a validation error. */
  details?: Record<string, unknown> | null;
  cause?: unknown;
}

/** Every failed API call rejects with this. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly statusCode: number;
  readonly error: string | null;
  readonly code: string | null;
  readonly correlationId: string | null;
  readonly details: Record<string, unknown> | null;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    this.statusCode = details.statusCode;
    this.error = details.error ?? null;
    this.code = details.code ?? null;
    this.correlationId = details.correlationId ?? null;
    this.details = details.details ?? null;
  }
}

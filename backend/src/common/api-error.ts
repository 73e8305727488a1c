/**
 * Machine-readable reasons of error answers: clients (the console) choose their message by it. Specific codes where
 * a client must react differently; otherwise the status's own code (BAD_REQUEST, NOT_FOUND…).
 */
export const ERROR_CODES = [
  // Specific
  'VALIDATION_FAILED',
  'VERSION_CONFLICT',
  'ACTION_NOT_ALLOWED',
  'DUPLICATE',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'PASSWORD_POLICY',
  'QUERY_TIMEOUT',
  'RATE_LIMITED',
  // By status
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE',
  'LOCKED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  423: 'LOCKED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The code of an error answer that names none of its own. */
export function codeOfStatus(status: number): string {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/** The body of every error answer. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  correlationId: string;
  /** The machine-readable reason ({@link ERROR_CODES}), e.g. VERSION_CONFLICT (409) or PASSWORD_CHANGE_REQUIRED (403). */
  code: string;
  /** Extra facts a client can act on, e.g. the current status and allowed actions after a 409. */
  details?: Record<string, unknown>;
}

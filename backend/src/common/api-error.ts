/** The body of every error answer. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  correlationId: string;
  /** A machine-readable reason where a client must react to it, e.g. PASSWORD_CHANGE_REQUIRED (403). */
  code?: string;
  /** Extra facts a client can act on, e.g. the current status and allowed actions after a 409. */
  details?: Record<string, unknown>;
}

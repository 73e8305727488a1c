/** The body of every error answer. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  correlationId: string;
  /** Extra facts a client can act on, e.g. the current status and allowed actions after a 409. */
  details?: Record<string, unknown>;
}

/**
 * The message of anything thrown. Not `instanceof Error`: errors from Node's own modules may come from
 * another realm (Jest's sandbox, vm contexts) and fail that test while still having a message.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

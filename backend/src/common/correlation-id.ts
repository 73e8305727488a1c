import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const acceptable = /^[A-Za-z0-9._-]{8,64}$/;

/** Takes the caller's correlation id when it looks sane, else makes one; echoes it in the response header. */
export function assignCorrelationId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[CORRELATION_HEADER];
  const id = typeof incoming === 'string' && acceptable.test(incoming) ? incoming : randomUUID();
  response.setHeader(CORRELATION_HEADER, id);
  return id;
}

import type { SipRequest, SipResponse } from './message';
import { buildResponse } from './responses';

/** Methods this bridge answers today; INVITE and friends arrive with call handling. */
export const SUPPORTED_METHODS = ['OPTIONS'] as const;

const SERVER = 'jiesu-sip-bridge';

/**
 * What the bridge answers before it has call handling: 200 OK to OPTIONS (a PBX's keep-alive
 * ping, RFC 3261 §11.2) and 501 Not Implemented to anything else. ACK gets nothing: it is never
 * answered, and the ACK for our own 501 to an INVITE lands here too.
 */
export function answerRequest(request: SipRequest): SipResponse | null {
  if (request.method === 'ACK') return null;
  const headers: [string, string][] = [
    ['Allow', SUPPORTED_METHODS.join(', ')],
    ['Server', SERVER],
  ];
  if (request.method === 'OPTIONS') return buildResponse(request, 200, { headers });
  return buildResponse(request, 501, { headers });
}

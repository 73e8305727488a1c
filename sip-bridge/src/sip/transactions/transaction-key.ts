import { getCSeq, type SipMessage, type SipRequest } from '../message';
import { getTag } from '../name-addr';
import { BRANCH_MAGIC_COOKIE, parseVia } from '../via';

/**
 * Matching requests to server transactions (RFC 3261 §17.2.3). With an RFC 3261 branch
 * (`z9hG4bK…`) the key is branch + sent-by + method, where ACK counts as INVITE (the ACK for a
 * non-2xx final response belongs to the INVITE transaction). CANCEL has a transaction of its own.
 * Older stacks' branches cannot be trusted to be unique, so their key is built from the
 * RFC 2543 fields: Request-URI, To tag, From tag, Call-ID, CSeq number and the top Via.
 */
export function serverTransactionKey(request: SipRequest, methodOverride?: string): string {
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const topViaValue = request.headers.get('Via') ?? '';
  const topVia = parseVia(topViaValue);
  const branch = topVia.params.get('branch');
  if (branch && branch.startsWith(BRANCH_MAGIC_COOKIE)) {
    return `3261|${branch}|${topVia.host}:${topVia.port ?? ''}|${method}`;
  }
  const cseq = getCSeq(request);
  const fromTag = getTag(request.headers.get('From') ?? '') ?? '';
  // The ACK for a non-2xx response carries the To tag the INVITE lacked: leave To out of the key.
  const viaWithoutStamps = `${topVia.host}:${topVia.port ?? ''};${branch ?? ''}`;
  return `2543|${request.requestUri}|${fromTag}|${request.headers.get('Call-ID') ?? ''}|${cseq.sequence}|${viaWithoutStamps}|${method}`;
}

/** The INVITE transaction a CANCEL refers to (RFC 3261 §9.2): same key, method INVITE. */
export function cancelledInviteKey(cancel: SipRequest): string {
  return serverTransactionKey(cancel, 'INVITE');
}

/** Matching responses to client transactions (RFC 3261 §17.1.3): top Via branch + CSeq method. */
export function clientTransactionKey(message: SipMessage): string | undefined {
  const topVia = message.headers.get('Via');
  if (topVia === undefined) return undefined;
  const branch = parseVia(topVia).params.get('branch');
  if (!branch) return undefined;
  return `${branch}|${getCSeq(message).method}`;
}

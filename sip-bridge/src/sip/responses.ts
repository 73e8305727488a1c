import { randomBytes } from 'node:crypto';
import { SipHeaders } from './headers';
import type { SipRequest, SipResponse } from './message';
import { getTag, withTag } from './name-addr';
import { type SourceAddress, parseVia, responseDestination as destinationFromVia } from './via';

/** Reason phrases from RFC 3261 §21 and the extensions a PBX is likely to use. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  493: 'Undecipherable',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

const CLASS_REASONS = ['Provisional', 'Success', 'Redirection', 'Client Error', 'Server Error', 'Global Failure'];

export interface ResponseOptions {
  /** Defaults to the standard phrase for the code. */
  reason?: string;
  /** The tag this UAS adds to To when the request had none; random when omitted. */
  toTag?: string;
  /** Extra header fields, appended after the copied ones. */
  headers?: ReadonlyArray<readonly [string, string]>;
}

/**
 * A response to `request` as a UAS builds it (RFC 3261 §8.2.6): Via (every value, in order), From,
 * Call-ID and CSeq copied; To copied with a tag added unless it has one or the response is a 100.
 * Content-Length is left to the serializer.
 */
export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`Invalid SIP status code ${status}`);
  if (request.method === 'ACK') throw new Error('ACK is never answered (RFC 3261 §17.1.1.3)');
  const to = request.headers.get('To');
  const from = request.headers.get('From');
  const callId = request.headers.get('Call-ID');
  const cseq = request.headers.get('CSeq');
  const vias = request.headers.getAll('Via');
  if (to === undefined || from === undefined || callId === undefined || cseq === undefined || vias.length === 0) {
    throw new Error('Cannot answer a SIP request without Via, From, To, Call-ID and CSeq');
  }

  const headers = new SipHeaders();
  for (const via of vias) headers.append('Via', via);
  headers.append('From', from);
  headers.append('To', status === 100 || getTag(to) !== undefined ? to : withTag(to, options.toTag ?? newTag()));
  headers.append('Call-ID', callId);
  headers.append('CSeq', cseq);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);

  return {
    kind: 'response',
    status,
    reason: options.reason ?? REASON_PHRASES[status] ?? CLASS_REASONS[Math.floor(status / 100) - 1],
    headers,
    body: Buffer.alloc(0),
  };
}

/** RFC 3261 §19.3 asks for at least 32 random bits. */
function newTag(): string {
  return randomBytes(8).toString('hex');
}

/** The address and port a response is sent to over UDP, read from its top Via. */
export function responseDestination(response: SipResponse): SourceAddress {
  const topVia = response.headers.get('Via');
  if (topVia === undefined) throw new Error('Cannot route a SIP response without a Via');
  return destinationFromVia(parseVia(topVia));
}

import { crlf } from './sip-frames';

/** Raw requests of one caller's dialog, addressed back to a loopback test peer. */
export interface CallerParams {
  /** The peer's port, written in Via and Contact. */
  peerPort: number;
  callId: string;
  transport?: 'UDP' | 'TCP';
  fromTag?: string;
}

export interface FrameOptions {
  branch: string;
  cseq: number;
  toTag?: string;
  body?: string;
  contentType?: string;
  extraHeaders?: string[];
  requestUri?: string;
}

export function offerSdp(options: { payloads?: string; direction?: string; address?: string; port?: number; rtpmaps?: string[] } = {}): string {
  const address = options.address ?? '127.0.0.1';
  return crlf(
    'v=0',
    `o=caller 42 ${options.direction === undefined ? 1 : 2} IN IP4 ${address}`,
    's=call',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${options.port ?? 16384} RTP/AVP ${options.payloads ?? '8 0 101'}`,
    ...(options.rtpmaps ?? ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16']),
    'a=ptime:20',
    `a=${options.direction ?? 'sendrecv'}`,
    '',
  );
}

export function callerRequest(method: string, caller: CallerParams, options: FrameOptions): string {
  const transport = caller.transport ?? 'UDP';
  const body = options.body ?? '';
  const cseqMethod = method === 'ACK' || method === 'CANCEL' ? method : method;
  return crlf(
    `${method} ${options.requestUri ?? 'sip:12345@127.0.0.1'} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${caller.peerPort};branch=${options.branch};rport`,
    'Max-Forwards: 70',
    `From: "Caller" <sip:13800138000@127.0.0.1>;tag=${caller.fromTag ?? 'caller-tag'}`,
    `To: <sip:12345@127.0.0.1>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`,
    `Call-ID: ${caller.callId}`,
    `CSeq: ${options.cseq} ${cseqMethod}`,
    `Contact: <sip:13800138000@127.0.0.1:${caller.peerPort}${transport === 'TCP' ? ';transport=tcp' : ''}>`,
    ...(options.extraHeaders ?? []),
    ...(body === '' ? [] : [`Content-Type: ${options.contentType ?? 'application/sdp'}`]),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  );
}

export function inviteFrame(caller: CallerParams, options: Omit<FrameOptions, 'body'> & { sdp?: string | null }): string {
  return callerRequest('INVITE', caller, { ...options, body: options.sdp === null ? '' : (options.sdp ?? offerSdp()) });
}

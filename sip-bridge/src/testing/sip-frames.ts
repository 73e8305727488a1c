/** Raw SIP frames as PBXes put them on the wire, CRLF line ends included. */

export function crlf(...lines: string[]): string {
  return lines.join('\r\n');
}

export const INVITE_SDP = crlf(
  'v=0',
  'o=- 3890 3890 IN IP4 10.0.0.10',
  's=12345热线',
  'c=IN IP4 10.0.0.10',
  't=0 0',
  'm=audio 16384 RTP/AVP 8 0 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
);

/** An inbound call from a FreeSWITCH trunk; the SDP has UTF-8 in it, so bytes and characters differ. */
export const INVITE = crlf(
  'INVITE sip:12345@10.0.0.20:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-524287-1---a1b2c3;rport',
  'Max-Forwards: 70',
  'Contact: <sip:13800138000@10.0.0.10:5060>',
  'To: <sip:12345@10.0.0.20>',
  'From: "张三" <sip:13800138000@10.0.0.10>;tag=8f2a1c',
  'Call-ID: 3c26700e-7a1f-4b6c@10.0.0.10',
  'CSeq: 102 INVITE',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
  'Supported: replaces, timer',
  'User-Agent: FreeSWITCH-mod_sofia/1.10.12',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(INVITE_SDP)}`,
  '',
  INVITE_SDP,
);

/** An Asterisk `qualify` ping: note the double space after `Content-Length:`. */
export const OPTIONS = crlf(
  'OPTIONS sip:10.0.0.20:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.10:5060;rport;branch=z9hG4bKPj1f0a9c2e',
  'From: <sip:asterisk@10.0.0.10>;tag=7d3e5b1a',
  'To: <sip:10.0.0.20>',
  'Contact: <sip:asterisk@10.0.0.10:5060>',
  'Call-ID: 5a6c0d3b-4f8e-options',
  'CSeq: 4711 OPTIONS',
  'Max-Forwards: 70',
  'User-Agent: Asterisk PBX 20.5.0',
  'Content-Length:  0',
  '',
  '',
);

export const OK_200_SDP = crlf(
  'v=0',
  'o=bridge 1 1 IN IP4 10.0.0.20',
  's=-',
  'c=IN IP4 10.0.0.20',
  't=0 0',
  'm=audio 20000 RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
);

/** A 200 OK to an INVITE that crossed a proxy: two Via values in one field, a Record-Route. */
export const OK_200 = crlf(
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP proxy.hotline.example.cn;branch=z9hG4bK77ef4c2312983.1;received=10.0.0.5, SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-524287-1---a1b2c3;rport=5060',
  'Record-Route: <sip:proxy.hotline.example.cn;lr>',
  'From: "张三" <sip:13800138000@10.0.0.10>;tag=8f2a1c',
  'To: <sip:12345@10.0.0.20>;tag=314159',
  'Call-ID: 3c26700e-7a1f-4b6c@10.0.0.10',
  'CSeq: 102 INVITE',
  'Contact: <sip:12345@10.0.0.20:5060>',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(OK_200_SDP)}`,
  '',
  OK_200_SDP,
);

/** Every header in compact form (RFC 3261 §7.3.3), lower-case names, no Content-Length spacing. */
export const COMPACT_OPTIONS = crlf(
  'OPTIONS sip:bridge@10.0.0.20 SIP/2.0',
  'v: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bKcompact1',
  'f: <sip:pbx@10.0.0.10>;tag=1928301774',
  't: <sip:bridge@10.0.0.20>',
  'i: compact-1@10.0.0.10',
  'cseq: 1 OPTIONS',
  'm: <sip:pbx@10.0.0.10>',
  'k: timer',
  'c: text/plain',
  'l: 5',
  '',
  'hello',
);

export interface OptionsFrameParams {
  viaHost: string;
  viaPort?: number;
  branch: string;
  callId: string;
  cseq?: number;
  rport?: boolean;
  method?: string;
}

/** A minimal request addressed back to a test peer, for loopback tests. */
export function requestFrame(params: OptionsFrameParams): string {
  const method = params.method ?? 'OPTIONS';
  const sentBy = params.viaPort === undefined ? params.viaHost : `${params.viaHost}:${params.viaPort}`;
  return crlf(
    `${method} sip:bridge@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP ${sentBy};branch=${params.branch}${params.rport ? ';rport' : ''}`,
    'Max-Forwards: 70',
    'From: <sip:pbx@127.0.0.1>;tag=peer-tag',
    'To: <sip:bridge@127.0.0.1>',
    `Call-ID: ${params.callId}`,
    `CSeq: ${params.cseq ?? 1} ${method}`,
    'Content-Length: 0',
    '',
    '',
  );
}

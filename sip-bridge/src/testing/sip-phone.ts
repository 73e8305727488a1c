import { computeDigestResponse, computeHa1 } from '../sip/digest';
import { type SipMessage, type SipRequest, type SipResponse, getCSeq, parseSipMessage } from '../sip/message';
import { crlf } from './sip-frames';
import { TcpPeer } from './tcp-peer';
import { UdpPeer } from './udp-peer';

/** Where a phone's SIP goes: a UDP socket, or one TCP connection to the bridge (then `port` in send is ignored). */
export interface SignallingChannel {
  readonly transport: 'UDP' | 'TCP';
  readonly port: number;
  send(data: string | Buffer, port: number): Promise<void>;
  nextDatagram(timeoutMs?: number): Promise<Buffer>;
  close(): Promise<void>;
}

class UdpChannel implements SignallingChannel {
  readonly transport = 'UDP';
  constructor(private readonly peer: UdpPeer) {}
  get port(): number {
    return this.peer.port;
  }
  send(data: string | Buffer, port: number): Promise<void> {
    return this.peer.send(data, port);
  }
  nextDatagram(timeoutMs?: number): Promise<Buffer> {
    return this.peer.nextDatagram(timeoutMs);
  }
  close(): Promise<void> {
    return this.peer.close();
  }
}

class TcpChannel implements SignallingChannel {
  readonly transport = 'TCP';
  constructor(private readonly peer: TcpPeer) {}
  get port(): number {
    return this.peer.port;
  }
  send(data: string | Buffer): Promise<void> {
    return this.peer.send(data);
  }
  nextDatagram(timeoutMs?: number): Promise<Buffer> {
    return this.peer.nextMessage(timeoutMs);
  }
  close(): Promise<void> {
    this.peer.close();
    return Promise.resolve();
  }
}

/**
 * A phone on loopback for call-flow tests: a SIP socket and an RTP socket. It reads SIP messages in
 * order, skipping the ones a test does not wait for (100 Trying, retransmissions), and builds the
 * frames a phone sends (REGISTER with digest, responses to the bridge's INVITE, BYE in a dialog).
 */
export class SipPhone {
  /** CSeq of this phone's REGISTERs: each attempt is a new transaction (new branch, higher CSeq). */
  private registerSequence = 0;
  /** The final response to the last REGISTER. */
  lastRegisterResponse: SipResponse | undefined;

  private constructor(
    readonly sip: SignallingChannel,
    readonly rtp: UdpPeer,
  ) {}

  static async open(): Promise<SipPhone> {
    return new SipPhone(new UdpChannel(await UdpPeer.open()), await UdpPeer.open());
  }

  /** A phone whose SIP runs over one TCP connection to the bridge. */
  static async openTcp(bridgePort: number): Promise<SipPhone> {
    return new SipPhone(new TcpChannel(await TcpPeer.connect(bridgePort)), await UdpPeer.open());
  }

  private get viaTransport(): string {
    return this.sip.transport;
  }

  private get contactSuffix(): string {
    return this.sip.transport === 'TCP' ? ';transport=tcp' : '';
  }

  async close(): Promise<void> {
    await this.sip.close();
    await this.rtp.close();
  }

  async nextRequest(method: string, timeoutMs = 3000): Promise<SipRequest> {
    const message = await this.nextMatching((candidate) => candidate.kind === 'request' && candidate.method === method, `${method} request`, timeoutMs);
    return message as SipRequest;
  }

  async nextResponse(status: number, method?: string, timeoutMs = 3000): Promise<SipResponse> {
    const message = await this.nextMatching(
      (candidate) => candidate.kind === 'response' && candidate.status === status && (method === undefined || getCSeq(candidate).method === method),
      `${status} response`,
      timeoutMs,
    );
    return message as SipResponse;
  }

  private async nextMatching(predicate: (message: SipMessage) => boolean, what: string, timeoutMs: number): Promise<SipMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${what} arrived within ${timeoutMs} ms`);
      const message = parseSipMessage(await this.sip.nextDatagram(left));
      if (predicate(message)) return message;
    }
  }

  /** REGISTER, the 401 challenge, REGISTER with the digest; resolves with the final status. */
  async register(extension: string, password: string, bridgePort: number, realm = 'jiesu'): Promise<number> {
    const callId = `reg-${extension}-${this.sip.port}`;
    const frame = (cseq: number, authorization?: string) =>
      crlf(
        `REGISTER sip:127.0.0.1:${bridgePort} SIP/2.0`,
        `Via: SIP/2.0/${this.viaTransport} 127.0.0.1:${this.sip.port};branch=z9hG4bK-reg-${cseq}-${this.sip.port};rport`,
        'Max-Forwards: 70',
        `From: <sip:${extension}@127.0.0.1>;tag=reg${extension}`,
        `To: <sip:${extension}@127.0.0.1>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${extension}@127.0.0.1:${this.sip.port}${this.contactSuffix}>`,
        'Expires: 3600',
        ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
        'Content-Length: 0',
        '',
        '',
      );
    const first = ++this.registerSequence;
    const second = ++this.registerSequence;
    await this.sip.send(frame(first), bridgePort);
    const challenge = await this.nextResponse(401, 'REGISTER');
    const nonce = /nonce="([^"]+)"/.exec(challenge.headers.get('WWW-Authenticate') ?? '')?.[1] ?? '';
    const uri = `sip:127.0.0.1:${bridgePort}`;
    const response = computeDigestResponse({ ha1: computeHa1(extension, realm, password), method: 'REGISTER', uri, nonce, qop: 'auth', nc: '00000001', cnonce: 'c0ffee' });
    await this.sip.send(
      frame(second, `Digest username="${extension}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`),
      bridgePort,
    );
    for (;;) {
      const message = parseSipMessage(await this.sip.nextDatagram());
      if (message.kind === 'response' && message.status >= 200) {
        this.lastRegisterResponse = message;
        return message.status;
      }
    }
  }

  /** A response to a request the bridge sent this phone (its INVITE, BYE, CANCEL). */
  async respond(request: SipRequest, status: number, reason: string, options: { toTag?: string; sdp?: string } = {}): Promise<void> {
    const to = request.headers.get('To') ?? '';
    const body = options.sdp ?? '';
    const frame = crlf(
      `SIP/2.0 ${status} ${reason}`,
      ...request.headers.getAll('Via').map((via) => `Via: ${via}`),
      `From: ${request.headers.get('From') ?? ''}`,
      `To: ${options.toTag === undefined || /;tag=/.test(to) ? to : `${to};tag=${options.toTag}`}`,
      `Call-ID: ${request.headers.get('Call-ID') ?? ''}`,
      `CSeq: ${request.headers.get('CSeq') ?? ''}`,
      `Contact: <sip:phone@127.0.0.1:${this.sip.port}${this.contactSuffix}>`,
      ...(body === '' ? [] : ['Content-Type: application/sdp']),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    );
    const via = request.headers.get('Via') ?? '';
    const port = Number(/^SIP\/2\.0\/UDP [^:;]+:(\d+)/i.exec(via)?.[1] ?? '5060');
    await this.sip.send(frame, port);
  }

  /** BYE in the dialog the bridge's INVITE made (the agent hangs up). */
  async byeAsAgent(invite: SipRequest, toTag: string, bridgePort: number, cseq = 1): Promise<void> {
    await this.requestAsAgent('BYE', invite, toTag, bridgePort, { cseq, branch: `z9hG4bK-agent-bye-${this.sip.port}` });
  }

  /**
   * A request the agent's phone sends in the dialog the bridge's INVITE made: a re-INVITE (hold, resume) with
   * its SDP, the ACK for the bridge's 2xx (same CSeq number as the re-INVITE), a BYE.
   */
  async requestAsAgent(method: string, invite: SipRequest, toTag: string, bridgePort: number, options: { cseq: number; branch?: string; sdp?: string }): Promise<void> {
    const body = options.sdp ?? '';
    const frame = crlf(
      `${method} sip:bridge@127.0.0.1:${bridgePort} SIP/2.0`,
      `Via: SIP/2.0/${this.viaTransport} 127.0.0.1:${this.sip.port};branch=${options.branch ?? `z9hG4bK-agent-${method.toLowerCase()}-${options.cseq}-${this.sip.port}`};rport`,
      'Max-Forwards: 70',
      `From: ${invite.headers.get('To') ?? ''};tag=${toTag}`,
      `To: ${invite.headers.get('From') ?? ''}`,
      `Call-ID: ${invite.headers.get('Call-ID') ?? ''}`,
      `CSeq: ${options.cseq} ${method}`,
      `Contact: <sip:phone@127.0.0.1:${this.sip.port}${this.contactSuffix}>`,
      ...(body === '' ? [] : ['Content-Type: application/sdp']),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    );
    await this.sip.send(frame, bridgePort);
  }

  /** The SDP a phone answers or offers with, for its RTP socket (or another port: a phone that moved its RTP). */
  sdp(payloads: string, rtpmaps: string[], options: { direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'; port?: number; version?: number } = {}): string {
    return crlf(
      'v=0',
      `o=phone 1 ${options.version ?? 1} IN IP4 127.0.0.1`,
      's=phone',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${options.port ?? this.rtp.port} RTP/AVP ${payloads}`,
      ...rtpmaps,
      'a=ptime:20',
      `a=${options.direction ?? 'sendrecv'}`,
      '',
    );
  }
}

/** The RTP port of an SDP body's first m=audio line. */
export function sdpAudioPort(body: Buffer): number {
  const port = /^m=audio (\d+)/m.exec(body.toString('utf8'))?.[1];
  if (port === undefined) throw new Error(`No m=audio line in ${body.toString('utf8')}`);
  return Number(port);
}

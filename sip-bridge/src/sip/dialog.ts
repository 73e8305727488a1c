import { randomBytes } from 'node:crypto';
import { SipHeaders } from './headers';
import { getCSeq, type SipRequest, type SipResponse } from './message';
import { getTag } from './name-addr';
import { parseSipUri, uriOfNameAddr } from './dialog-uri';
import { newBranch } from './transactions/client-transaction';
import type { PeerAddress, TransportProtocol } from './transactions/transport-binding';
import { DEFAULT_SIP_PORT } from './via';

/** Our own address as written in Via and Contact of the requests we send. */
export interface LocalContact {
  host: string;
  port: number;
  protocol: TransportProtocol;
}

/**
 * Dialog state (RFC 3261 §12): Call-ID, both tags, both URIs, the remote target (Contact), the
 * route set, and the CSeq counters of each side.
 */
export class Dialog {
  private constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** Our From/To value (with our tag) in requests we send. */
    readonly localParty: string,
    readonly remoteParty: string,
    public remoteTarget: string,
    readonly routeSet: readonly string[],
    private localSequence: number,
    private remoteSequence: number | undefined,
  ) {}

  /** UAS side (§12.1.1): built from the INVITE and the tag we put in our response's To. */
  static asServer(invite: SipRequest, localTag: string): Dialog {
    const from = invite.headers.get('From') ?? '';
    const to = invite.headers.get('To') ?? '';
    return new Dialog(
      invite.headers.get('Call-ID') ?? '',
      localTag,
      getTag(from) ?? '',
      getTag(to) === undefined ? `${to};tag=${localTag}` : to,
      from,
      uriOfNameAddr(invite.headers.get('Contact') ?? from),
      invite.headers.getAll('Record-Route'),
      randomBytes(2).readUInt16BE(0) + 1,
      getCSeq(invite).sequence,
    );
  }

  /** UAC side (§12.1.2): built from our INVITE and the 2xx (or 1xx with a tag) that answered it. */
  static asClient(invite: SipRequest, response: SipResponse): Dialog {
    const to = response.headers.get('To') ?? '';
    const from = invite.headers.get('From') ?? '';
    return new Dialog(
      invite.headers.get('Call-ID') ?? '',
      getTag(from) ?? '',
      getTag(to) ?? '',
      from,
      to,
      uriOfNameAddr(response.headers.get('Contact') ?? invite.requestUri),
      [...response.headers.getAll('Record-Route')].reverse(),
      getCSeq(invite).sequence,
      undefined,
    );
  }

  /** Dialog id as seen from our side: Call-ID, our tag, their tag. */
  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  get localCSeq(): number {
    return this.localSequence;
  }

  /**
   * RFC 3261 §12.2.2: a request with a lower CSeq than the last one is out of order (→ 500). Equal
   * ones are retransmissions, which the transaction layer absorbs before they reach here.
   */
  acceptRemoteSequence(sequence: number): boolean {
    if (this.remoteSequence !== undefined && sequence <= this.remoteSequence) return false;
    this.remoteSequence = sequence;
    return true;
  }

  /** A new request inside the dialog (§12.2.1.1); every method but ACK takes the next CSeq. */
  createRequest(method: string, local: LocalContact, options: { cseq?: number; body?: Buffer; contentType?: string } = {}): SipRequest {
    const sequence = options.cseq ?? ++this.localSequence;
    const headers = new SipHeaders();
    headers.append('Via', `SIP/2.0/${local.protocol} ${formatHost(local.host)}:${local.port};branch=${newBranch()};rport`);
    for (const route of this.routeSet) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    headers.append('From', this.localParty);
    headers.append('To', this.remoteParty);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${sequence} ${method}`);
    headers.append('Contact', `<sip:${formatHost(local.host)}:${local.port}${local.protocol === 'TCP' ? ';transport=tcp' : ''}>`);
    if (options.contentType !== undefined) headers.append('Content-Type', options.contentType);
    return { kind: 'request', method, requestUri: this.remoteTarget, headers, body: options.body ?? Buffer.alloc(0) };
  }

  /**
   * Where requests in this dialog go: the first route (loose routing), else the remote target;
   * port from the URI or 5060.
   */
  nextHop(): PeerAddress {
    const first = this.routeSet[0];
    const uri = parseSipUri(first === undefined ? this.remoteTarget : uriOfNameAddr(first));
    if (uri === undefined) throw new Error(`Cannot route a request in dialog ${this.callId}: unusable target ${this.remoteTarget}`);
    return { address: uri.host, port: uri.port ?? DEFAULT_SIP_PORT };
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { parse as parseSdp } from 'sdp-transform';
import { Dialog, type LocalContact, newTag } from './dialog';
import { SipHeaders } from './headers';
import { getCSeq, type SipRequest, type SipResponse } from './message';
import { type NegotiatedAudio, type RtpEndpoint, negotiateOffer } from './sdp-answer';
import type { TimerHandle } from './transactions/clock';
import { newBranch } from './transactions/client-transaction';
import type { TransactionLayer } from './transactions/transaction-layer';
import type { PeerAddress, TransportBinding } from './transactions/transport-binding';

export interface InviteAgentOptions {
  transactions: TransactionLayer;
  binding: TransportBinding;
  /** Our Via/Contact address on that transport. */
  local: LocalContact;
  /** The agent phone's registered Contact URI and where to send to (a registrar binding's target). */
  contactUri: string;
  destination: PeerAddress;
  /** Who the call appears to come from, e.g. `"13800138000" <sip:13800138000@bridge>`. */
  from: string;
  sdpOffer: string;
  /** No final answer within this time → CANCEL and outcome `noAnswer`. Default 15 s. */
  ringTimeoutMs?: number;
}

export type InviteOutcome =
  | { kind: 'answered'; answerSdp: string; response: SipResponse }
  | { kind: 'rejected'; status: number; reason: string }
  | { kind: 'noAnswer' }
  | { kind: 'cancelled' }
  /** No response at all (timer B) or the transport failed. */
  | { kind: 'unreachable' };

export type OutboundCallEvents = {
  /** 180/183 from the agent's phone. */
  progress: [response: SipResponse];
  /** The agent's phone sent BYE (initiator `agent`) or we hung up (`bridge`, also when the phone never ACKed our 2xx to its re-INVITE). */
  ended: [initiator: 'agent' | 'bridge'];
  /**
   * The agent's phone re-INVITEd (hold: `sendonly`/`inactive`/`c=0.0.0.0`, resume: `sendrecv`; maybe a new RTP
   * address or codec) and our 200 went out: from now on this is the leg's session.
   */
  sessionUpdated: [audio: NegotiatedAudio, previous: NegotiatedAudio | undefined];
};

/** Our side of the agent leg's SDP session: where we receive RTP, and the o= line's id and version. */
export interface LocalSdpSession {
  rtp: RtpEndpoint;
  sessionId: number;
  /** The last o= version we sent; every new offer or answer in the dialog takes the next one (RFC 3264 §8). */
  version: number;
}

/** Stops the 2xx retransmission of an answered re-INVITE (its ACK came, or the leg ended). */
export interface Retransmission {
  stop(): void;
}

/**
 * The bridge calling an agent's phone (the B2BUA's outbound leg, RFC 3261 §13.2): INVITE through
 * a client transaction, progress events, ACK on 2xx (again for each retransmitted 2xx), CANCEL on
 * `cancel()` or when the ring timeout expires, BYE on `hangup()`. The outcome settles once. Once answered, the
 * UAS answers the phone's re-INVITEs (hold/resume) in this dialog and reports each as `sessionUpdated`; `reinvite()`
 * sends ours.
 */
export class OutboundCall extends EventEmitter<OutboundCallEvents> {
  readonly invite: SipRequest;
  readonly outcome: Promise<InviteOutcome>;
  private settle!: (outcome: InviteOutcome) => void;
  private settled: InviteOutcome | undefined;
  private provisionalSeen = false;
  private cancelRequested: 'cancelled' | 'noAnswer' | undefined;
  private ack: SipRequest | undefined;
  private dialogState: Dialog | undefined;
  private ringTimer: TimerHandle | undefined;
  private ended = false;
  private audio: NegotiatedAudio | undefined;
  private readonly localSdp: LocalSdpSession | undefined;
  /** The phone's re-INVITE we answered with 2xx and whose ACK has not come yet. */
  private incomingReinvite: { sequence: number; retransmission: Retransmission } | undefined;
  /** Our own re-INVITEs still waiting for their final response (a crossing one from the phone gets 491). */
  private outgoingReinvites = 0;

  constructor(private readonly options: InviteAgentOptions) {
    super();
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.invite = this.buildInvite();
    this.localSdp = localSessionOf(options.sdpOffer);
  }

  get dialog(): Dialog | undefined {
    return this.dialogState;
  }

  /** Our Via/Contact address on the leg's transport. */
  get local(): LocalContact {
    return this.options.local;
  }

  /** The leg's session as the phone last described it (its 2xx answer, then each accepted re-INVITE). */
  get remoteAudio(): NegotiatedAudio | undefined {
    return this.audio;
  }

  /** Whether the agent's phone holds the call: its last re-INVITE offered sendonly, inactive or c=0.0.0.0. */
  get onHold(): boolean {
    return this.audio?.onHold ?? false;
  }

  /** An offer/answer exchange in the dialog is unfinished: the phone's re-INVITE awaits its ACK, or ours its answer. */
  get reinviteInProgress(): 'incoming' | 'outgoing' | undefined {
    if (this.incomingReinvite !== undefined) return 'incoming';
    return this.outgoingReinvites > 0 ? 'outgoing' : undefined;
  }

  /** Our SDP session on this leg, parsed from the offer in our INVITE; undefined when that offer was unreadable. */
  get localSession(): Readonly<LocalSdpSession> | undefined {
    return this.localSdp;
  }

  /** The o= version for our next SDP in this dialog (offer or answer). */
  nextSdpVersion(): number {
    if (this.localSdp === undefined) return 1;
    this.localSdp.version += 1;
    return this.localSdp.version;
  }

  /**
   * Sends our new offer in a re-INVITE (the caller's hold relayed) and ACKs its 2xx. The phone's answer is not
   * applied: our offers change only the direction, and the phone keeps its address and codec.
   */
  reinvite(sdpOffer: string, onFailure: (why: string) => void = () => undefined): void {
    const dialog = this.dialogState;
    if (dialog === undefined || this.ended) return;
    const { transactions, binding, destination, local } = this.options;
    const invite = dialog.createRequest('INVITE', local, { body: Buffer.from(sdpOffer, 'utf8'), contentType: 'application/sdp' });
    this.outgoingReinvites += 1;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.outgoingReinvites -= 1;
    };
    transactions.sendRequest(invite, destination, binding, {
      onResponse: (response) => {
        if (response.status < 200) return;
        settle();
        if (response.status >= 300) {
          onFailure(`${response.status} ${response.reason}`);
          return;
        }
        transactions.sendAck(dialog.createRequest('ACK', local, { cseq: getCSeq(invite).sequence }), destination, binding);
      },
      onTimeout: () => {
        settle();
        onFailure('no answer');
      },
    });
  }

  /**
   * @internal the UAS answered the phone's re-INVITE with 2xx (being retransmitted until the ACK): the new
   * session applies from now on.
   */
  acceptReinvite(sequence: number, audio: NegotiatedAudio, retransmission: Retransmission): void {
    this.incomingReinvite?.retransmission.stop();
    this.incomingReinvite = { sequence, retransmission };
    const previous = this.audio;
    this.audio = audio;
    this.emit('sessionUpdated', audio, previous);
  }

  /** @internal the phone's ACK for a 2xx we sent in this dialog */
  receiveAck(ack: SipRequest): void {
    const pending = this.incomingReinvite;
    if (pending === undefined || pending.sequence !== getCSeq(ack).sequence) return;
    pending.retransmission.stop();
    this.incomingReinvite = undefined;
  }

  /** @internal shutdown: stops timers without signalling */
  forget(): void {
    this.incomingReinvite?.retransmission.stop();
    this.incomingReinvite = undefined;
    this.ended = true;
  }

  /** @internal started by inviteAgent */
  start(): void {
    const { transactions, binding, destination } = this.options;
    transactions.sendRequest(this.invite, destination, binding, {
      onResponse: (response) => this.receive(response),
      onTimeout: () => this.finish({ kind: 'unreachable' }),
    });
    this.ringTimer = transactions.clock.schedule(this.options.ringTimeoutMs ?? 15_000, () => this.requestCancel('noAnswer'));
  }

  /** Gives up ringing: CANCEL (once a provisional response allows it, RFC 3261 §9.1). */
  cancel(): void {
    this.requestCancel('cancelled');
  }

  /** BYE to an answered agent leg. */
  hangup(): void {
    if (this.dialogState === undefined || this.ended) return;
    this.ended = true;
    this.incomingReinvite?.retransmission.stop();
    this.incomingReinvite = undefined;
    const bye = this.dialogState.createRequest('BYE', this.options.local);
    this.options.transactions.sendRequest(bye, this.options.destination, this.options.binding, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
    });
    this.emit('ended', 'bridge');
  }

  /** @internal the agent's BYE, routed here by the UAS */
  endedByAgent(): void {
    if (this.ended) return;
    this.ended = true;
    this.incomingReinvite?.retransmission.stop();
    this.incomingReinvite = undefined;
    this.emit('ended', 'agent');
  }

  private receive(response: SipResponse): void {
    const { status } = response;
    if (status < 200) {
      if (status > 100) this.emit('progress', response);
      this.provisionalSeen = true;
      if (this.cancelRequested !== undefined) this.sendCancel();
      return;
    }
    if (status < 300) {
      if (this.dialogState === undefined) this.dialogState = Dialog.asClient(this.invite, response);
      this.ack ??= this.dialogState.createRequest('ACK', this.options.local, { cseq: getCSeq(this.invite).sequence });
      this.options.transactions.sendAck(this.ack, this.options.destination, this.options.binding);
      if (this.settled !== undefined) return;
      if (this.cancelRequested !== undefined) {
        // The answer crossed our CANCEL: the agent's phone is up, so end it properly.
        this.finish({ kind: this.cancelRequested });
        this.hangup();
        return;
      }
      const answerSdp = response.body.toString('utf8');
      const negotiation = negotiateOffer(answerSdp);
      if (negotiation.acceptable) this.audio = negotiation.audio;
      this.finish({ kind: 'answered', answerSdp, response });
      return;
    }
    if (status === 487 && this.cancelRequested !== undefined) this.finish({ kind: this.cancelRequested });
    else this.finish({ kind: 'rejected', status, reason: response.reason });
  }

  private requestCancel(why: 'cancelled' | 'noAnswer'): void {
    if (this.settled !== undefined || this.cancelRequested !== undefined) return;
    this.cancelRequested = why;
    if (this.provisionalSeen) this.sendCancel();
  }

  private sendCancel(): void {
    const headers = new SipHeaders();
    headers.append('Via', this.invite.headers.get('Via') ?? '');
    headers.append('Max-Forwards', '70');
    for (const name of ['From', 'To', 'Call-ID'] as const) headers.append(name, this.invite.headers.get(name) ?? '');
    headers.append('CSeq', `${getCSeq(this.invite).sequence} CANCEL`);
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', requestUri: this.invite.requestUri, headers, body: Buffer.alloc(0) };
    this.options.transactions.sendRequest(cancel, this.options.destination, this.options.binding, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
    });
  }

  private finish(outcome: InviteOutcome): void {
    if (this.settled !== undefined) return;
    this.settled = outcome;
    this.ringTimer?.cancel();
    this.settle(outcome);
  }

  private buildInvite(): SipRequest {
    const { local, contactUri, from, sdpOffer } = this.options;
    const host = local.host.includes(':') ? `[${local.host}]` : local.host;
    const headers = new SipHeaders();
    headers.append('Via', `SIP/2.0/${local.protocol} ${host}:${local.port};branch=${newBranch()};rport`);
    headers.append('Max-Forwards', '70');
    headers.append('From', `${from};tag=${newTag()}`);
    headers.append('To', `<${contactUri}>`);
    headers.append('Call-ID', `${randomBytes(12).toString('hex')}@${host}`);
    headers.append('CSeq', `${1 + randomBytes(2).readUInt16BE(0)} INVITE`);
    headers.append('Contact', `<sip:${host}:${local.port}${local.protocol === 'TCP' ? ';transport=tcp' : ''}>`);
    headers.append('Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO');
    headers.append('Content-Type', 'application/sdp');
    return { kind: 'request', method: 'INVITE', requestUri: contactUri, headers, body: Buffer.from(sdpOffer, 'utf8') };
  }
}

function localSessionOf(sdpOffer: string): LocalSdpSession | undefined {
  try {
    const offer = parseSdp(sdpOffer);
    const audio = offer.media.find((media) => media.type === 'audio');
    const address = audio?.connection?.ip ?? offer.connection?.ip;
    const sessionId = Number(offer.origin.sessionId);
    if (audio === undefined || address === undefined || !Number.isSafeInteger(sessionId)) return undefined;
    return { rtp: { address, port: audio.port }, sessionId, version: Number(offer.origin.sessionVersion) || 1 };
  } catch {
    return undefined;
  }
}

/** INVITEs an agent's phone; the returned call's `outcome` says whether it answered. */
export function inviteAgent(options: InviteAgentOptions): OutboundCall {
  const call = new OutboundCall(options);
  call.start();
  return call;
}

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Dialog, type LocalContact, newTag } from './dialog';
import { SipHeaders } from './headers';
import { getCSeq, type SipRequest, type SipResponse } from './message';
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
  /** The agent's phone sent BYE (initiator `agent`) or we hung up (`bridge`). */
  ended: [initiator: 'agent' | 'bridge'];
};

/**
 * The bridge calling an agent's phone (the B2BUA's outbound leg, RFC 3261 §13.2): INVITE through
 * a client transaction, progress events, ACK on 2xx (again for each retransmitted 2xx), CANCEL on
 * `cancel()` or when the ring timeout expires, BYE on `hangup()`. The outcome settles once.
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

  constructor(private readonly options: InviteAgentOptions) {
    super();
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.invite = this.buildInvite();
  }

  get dialog(): Dialog | undefined {
    return this.dialogState;
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
      this.finish({ kind: 'answered', answerSdp: response.body.toString('utf8'), response });
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

/** INVITEs an agent's phone; the returned call's `outcome` says whether it answered. */
export function inviteAgent(options: InviteAgentOptions): OutboundCall {
  const call = new OutboundCall(options);
  call.start();
  return call;
}

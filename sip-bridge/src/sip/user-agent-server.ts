import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import { Dialog, type LocalContact, dialogId, newTag } from './dialog';
import { uriOfNameAddr } from './dialog-uri';
import { badRequestForMalformed } from './malformed-request';
import { getCSeq, type SipMessage, type SipRequest, type SipResponse } from './message';
import { getTag } from './name-addr';
import type { Registrar } from './registrar';
import { type InviteAgentOptions, type OutboundCall, type Retransmission, inviteAgent } from './uac';
import { buildResponse } from './responses';
import { type NegotiatedAudio, type RtpEndpoint, buildAnswer, negotiateOffer } from './sdp-answer';
import type { Clock, SipTimerSettings, TimerHandle } from './transactions/clock';
import type { InviteServerTransaction, ServerTransaction } from './transactions/server-transaction';
import { type IncomingRequest, TransactionLayer } from './transactions/transaction-layer';
import type { PeerAddress, SipMessageSender, TransportBinding, TransportProtocol } from './transactions/transport-binding';
import { parseVia, responseDestination, stampTopVia } from './via';

export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'REGISTER'] as const;
const SERVER_NAME = 'jiesu-sip-bridge';

/**
 * Why a call ended: a BYE (the caller's or ours), a CANCEL before answer, no ACK for our 200
 * within 64·T1, a rejection by the application (486…), or the application failing to take it (500).
 */
export type CallEndReason = 'bye' | 'cancel' | 'timeout' | 'rejected' | 'error';
/** Who ended it. */
export type CallEndInitiator = 'caller' | 'bridge';
export type InboundCallState = 'offered' | 'ringing' | 'answered' | 'confirmed' | 'ended';

export interface InfoBody {
  /** e.g. `application/dtmf-relay` or `application/dtmf`; parsing is the media layer's job. */
  contentType: string | undefined;
  body: Buffer;
}

export type UserAgentServerEvents = {
  /** A new INVITE with an acceptable offer: the application calls ring(), answer() or reject(). */
  callOffered: [call: InboundCall];
  /** The ACK for our 200 arrived: media flows. */
  callAnswered: [call: InboundCall];
  callEnded: [call: InboundCall, reason: CallEndReason, initiator: CallEndInitiator];
  /** A re-INVITE put the call on hold (true) or took it off (false). */
  callHold: [call: InboundCall, onHold: boolean];
  infoReceived: [call: InboundCall, info: InfoBody];
};

export interface UserAgentServerOptions {
  logger: Logger;
  clock?: Clock;
  timers?: Partial<SipTimerSettings>;
  /** REGISTER goes here; without one REGISTER gets 405. */
  registrar?: Registrar;
  /** Host written in our Via/Contact; defaults to each transport's bound address. */
  advertisedHost?: string;
}

/**
 * The bridge's SIP user agent server (RFC 3261 §8.2, §12-15): inbound calls with 100/180/200 and
 * an SDP answer, ACK, BYE, CANCEL, OPTIONS, re-INVITE (hold), INFO and REGISTER; every other method
 * 501. It runs on any number of transports (UDP, TCP) through one transaction layer.
 */
export class UserAgentServer extends EventEmitter<UserAgentServerEvents> {
  readonly transactions: TransactionLayer;
  private readonly dialogs = new Map<string, InboundCall>();
  /** Calls whose INVITE is still pending, by the INVITE transaction (to match CANCEL). */
  private readonly pendingByTransaction = new Map<InviteServerTransaction, InboundCall>();
  /** Answered legs to agents' phones (the B2BUA's outbound side), by dialog id. */
  private readonly outboundDialogs = new Map<string, OutboundCall>();

  constructor(private readonly options: UserAgentServerOptions) {
    super();
    this.transactions = new TransactionLayer({
      clock: options.clock,
      timers: options.timers,
      logger: options.logger,
      onRequest: (incoming) => this.handleRequest(incoming),
      onAckTimeout: (transaction) =>
        options.logger.warn('No ACK for final response', { callId: transaction.request.headers.get('Call-ID'), status: transaction.finalStatus }),
    });
  }

  get clock(): Clock {
    return this.transactions.clock;
  }

  get timerSettings(): SipTimerSettings {
    return this.transactions.timers;
  }

  get activeCallCount(): number {
    return this.dialogs.size + this.pendingByTransaction.size;
  }

  /** Feeds every message of a transport (UDP or TCP) to this UAS. */
  attach(transport: SipMessageSender & AttachableTransport, protocol: TransportProtocol): TransportBinding {
    const binding: TransportBinding = { sender: transport, protocol };
    transport.on('message', (message: SipMessage, remote: PeerAddress) => this.receive(message, remote, binding));
    return binding;
  }

  receive(message: SipMessage, remote: PeerAddress, binding: TransportBinding): void {
    try {
      this.transactions.receive(message, remote, binding);
    } catch (error) {
      this.options.logger.error('Failed to handle SIP message', { error: describe(error), remote: `${remote.address}:${remote.port}` });
    }
  }

  /**
   * A datagram the parser refused: 400 when the request can still be answered, dropped otherwise
   * (RFC 3261 §8.2, §18.3). Returns whether a 400 was sent.
   */
  answerMalformed(raw: Buffer, problem: string, remote: PeerAddress, binding: TransportBinding): boolean {
    const response = badRequestForMalformed(raw, problem);
    if (response === undefined) return false;
    stampTopVia(response.headers, remote);
    const target = binding.protocol === 'UDP' ? responseDestination(parseVia(response.headers.get('Via') ?? '')) : remote;
    binding.sender.send(response, target.address, target.port).catch((error: unknown) =>
      this.options.logger.warn('Failed to send 400 for malformed SIP', { error: describe(error) }),
    );
    return true;
  }

  /**
   * Calls an agent's phone from this UAS's transaction layer; once answered, requests the phone
   * sends in that dialog (BYE, INFO, OPTIONS) are handled here.
   */
  inviteAgent(binding: TransportBinding, params: Omit<InviteAgentOptions, 'transactions' | 'binding' | 'local'>): OutboundCall {
    const call = inviteAgent({ ...params, transactions: this.transactions, binding, local: this.localContact(binding) });
    void call.outcome.then((outcome) => {
      const dialog = call.dialog;
      if (outcome.kind !== 'answered' || dialog === undefined) return;
      this.outboundDialogs.set(dialog.id, call);
      call.once('ended', () => this.outboundDialogs.delete(dialog.id));
    });
    return call;
  }

  /** Stops every timer; calls are forgotten without signalling (the process is going away). */
  close(): void {
    for (const call of [...this.dialogs.values(), ...this.pendingByTransaction.values()]) call.forget();
    for (const call of this.outboundDialogs.values()) call.forget();
    this.transactions.close();
  }

  /** @internal used by InboundCall */
  localContact(binding: TransportBinding): LocalContact {
    const bound = binding.sender.address();
    return { host: this.options.advertisedHost ?? bound.address, port: bound.port, protocol: binding.protocol };
  }

  /** @internal */
  emitSafely<K extends keyof UserAgentServerEvents>(event: K, ...args: UserAgentServerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: UserAgentServerEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      // An application bug costs its own call at most, never the signalling of the others.
      this.options.logger.error(`Listener for ${event} failed`, { error: describe(error) });
    }
  }

  /** @internal */
  registerDialog(call: InboundCall): void {
    this.dialogs.set(call.dialog.id, call);
  }

  /** @internal */
  forgetCall(call: InboundCall): void {
    this.dialogs.delete(call.dialog.id);
    this.pendingByTransaction.delete(call.inviteTransaction);
  }

  /** @internal */
  settleInvite(call: InboundCall): void {
    this.pendingByTransaction.delete(call.inviteTransaction);
  }

  private handleRequest(incoming: IncomingRequest): void {
    const { request, transaction } = incoming;
    if (request.method === 'ACK') {
      this.handleAck(request);
      return;
    }
    if (transaction === undefined) return;
    const respond = (status: number, extra: ResponseExtras = {}) => transaction.respond(this.response(request, status, extra));

    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(request.requestUri)?.[1].toLowerCase();
    if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return respond(416);
    const maxForwards = request.headers.get('Max-Forwards');
    if (maxForwards !== undefined && /^\s*0+\s*$/.test(maxForwards) && request.method !== 'OPTIONS' && request.method !== 'REGISTER') {
      return respond(483);
    }
    if (!(ALLOWED_METHODS as readonly string[]).includes(request.method)) return respond(501);

    // CANCEL matches its INVITE by transaction, whatever its To says (§9.2).
    if (request.method === 'CANCEL') {
      this.handleCancel(request, respond);
      return;
    }
    if (getTag(request.headers.get('To') ?? '') !== undefined) {
      this.handleInDialog(incoming, respond);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        this.handleInitialInvite(incoming, transaction as InviteServerTransaction, respond);
        return;
      case 'OPTIONS':
        return respond(200, { headers: [['Accept', 'application/sdp']] });
      case 'REGISTER':
        this.handleRegister(incoming, transaction);
        return;
      default:
        // BYE, INFO outside any dialog.
        return respond(481);
    }
  }

  private handleInitialInvite(incoming: IncomingRequest, transaction: InviteServerTransaction, respond: Responder): void {
    const { request } = incoming;
    const unsupported = request.headers.getAll('Require').filter((option) => option.trim() !== '');
    if (unsupported.length > 0) return respond(420, { headers: [['Unsupported', unsupported.join(', ')]] });
    respond(100);

    const contentType = request.headers.get('Content-Type')?.split(';')[0].trim().toLowerCase();
    if (request.body.length === 0 || contentType !== 'application/sdp') {
      // Offerless INVITEs (offer in our 200, answer in the ACK) are not supported yet.
      return respond(488, { headers: [['Warning', '304 jiesu "An SDP offer is required"']] });
    }
    const negotiation = negotiateOffer(request.body.toString('utf8'));
    if (!negotiation.acceptable) return respond(488, { headers: [['Warning', `304 jiesu "${negotiation.reason}"`]] });

    const call = new InboundCall(this, incoming, transaction, negotiation.audio, negotiation.offer);
    this.pendingByTransaction.set(transaction, call);
    this.registerDialog(call);
    try {
      this.emit('callOffered', call);
    } catch (error) {
      // The application could not take the call: tell the caller instead of leaving it ringing.
      this.options.logger.error('Listener for callOffered failed', { error: describe(error), callId: call.callId });
      call.fail();
    }
  }

  private handleCancel(cancel: SipRequest, respond: Responder): void {
    const invite = this.transactions.findCancelledInvite(cancel);
    if (invite === undefined) return respond(481);
    respond(200);
    const call = this.pendingByTransaction.get(invite);
    if (call !== undefined) call.cancelledByCaller();
    else if (invite.state === 'proceeding') invite.respond(this.response(invite.request, 487));
  }

  private handleRegister(incoming: IncomingRequest, transaction: ServerTransaction): void {
    const { registrar } = this.options;
    if (registrar === undefined) {
      transaction.respond(this.response(incoming.request, 405));
      return;
    }
    registrar.handleRegister(incoming.request, { remote: incoming.remote, protocol: incoming.binding.protocol }).then(
      (response) => transaction.respond(withServerHeaders(response)),
      (error: unknown) => {
        this.options.logger.error('Registrar failed', { error: describe(error) });
        transaction.respond(this.response(incoming.request, 500, { headers: [['Retry-After', '5']] }));
      },
    );
  }

  private handleAck(ack: SipRequest): void {
    // An ACK nobody waits for (a stray or late one) is dropped: ACK is never answered.
    const call = this.findDialog(ack);
    if (call !== undefined) call.receiveAck(ack);
    else this.findOutboundDialog(ack)?.receiveAck(ack);
  }

  private handleInDialog(incoming: IncomingRequest, respond: Responder): void {
    const { request } = incoming;
    const outbound = this.findOutboundDialog(request);
    if (outbound !== undefined) return this.handleAgentRequest(incoming, outbound, respond);
    const call = this.findDialog(request);
    if (call === undefined || call.state === 'ended') return respond(481);
    if (!call.dialog.acceptRemoteSequence(getCSeq(request).sequence)) {
      return respond(500, { reason: 'CSeq Out of Order' });
    }
    switch (request.method) {
      case 'BYE':
        respond(200);
        call.endedByCaller();
        return;
      case 'INVITE':
        call.receiveReinvite(incoming, respond);
        return;
      case 'INFO':
        respond(200);
        this.emitSafely('infoReceived', call, {
          contentType: request.headers.get('Content-Type')?.trim(),
          body: request.body,
        });
        return;
      case 'OPTIONS':
        return respond(200, { headers: [['Accept', 'application/sdp']] });
      default:
        return respond(405);
    }
  }

  private handleAgentRequest(incoming: IncomingRequest, call: OutboundCall, respond: Responder): void {
    const { request } = incoming;
    if (call.dialog !== undefined && !call.dialog.acceptRemoteSequence(getCSeq(request).sequence)) {
      return respond(500, { reason: 'CSeq Out of Order' });
    }
    switch (request.method) {
      case 'BYE':
        respond(200);
        call.endedByAgent();
        return;
      case 'INVITE':
        this.answerAgentReinvite(incoming, call, respond);
        return;
      case 'INFO':
      case 'OPTIONS':
        return respond(200);
      default:
        return respond(405);
    }
  }

  /**
   * A re-INVITE from the agent's phone (hold, resume, a new address): answered like the caller's (§14.2, RFC 3264
   * §8) on the leg's own RTP port, with the mirrored direction; the 2xx is retransmitted until the phone's ACK.
   */
  private answerAgentReinvite(incoming: IncomingRequest, call: OutboundCall, respond: Responder): void {
    const { request } = incoming;
    const transaction = incoming.transaction as InviteServerTransaction;
    const pending = call.reinviteInProgress;
    // §14.2: our own re-INVITE is waiting for its answer (glare) → 491; theirs still waits for its ACK → 500.
    if (pending === 'outgoing') return respond(491);
    if (pending === 'incoming') return respond(500, { headers: [['Retry-After', '1']] });
    const unsupported = request.headers.getAll('Require').filter((option) => option.trim() !== '');
    if (unsupported.length > 0) return respond(420, { headers: [['Unsupported', unsupported.join(', ')]] });
    respond(100);
    const contentType = request.headers.get('Content-Type')?.split(';')[0].trim().toLowerCase();
    if (request.body.length === 0 || contentType !== 'application/sdp') {
      // Offer in our 2xx, answer in the ACK: not supported, as for the caller's INVITE.
      return respond(488, { headers: [['Warning', '304 jiesu "A re-INVITE without an SDP offer is not supported (offer in the ACK)"']] });
    }
    const negotiation = negotiateOffer(request.body.toString('utf8'));
    // A refused re-offer leaves the session as it was (RFC 3264 §8).
    if (!negotiation.acceptable) return respond(488, { headers: [['Warning', `304 jiesu "${negotiation.reason}"`]] });
    const local = call.localSession;
    if (local === undefined) return respond(500, { headers: [['Warning', '399 jiesu "No local session on the agent leg"']] });
    const answer = buildAnswer(negotiation.offer, negotiation.audio, { local: local.rtp, sessionId: local.sessionId, sessionVersion: call.nextSdpVersion() });
    const contact = request.headers.get('Contact');
    if (contact !== undefined && call.dialog !== undefined) call.dialog.remoteTarget = uriOfNameAddr(contact);
    const ok = this.response(request, 200, { headers: [['Contact', contactUriOf(call.local)], ['Content-Type', 'application/sdp']] });
    ok.body = Buffer.from(answer, 'utf8');
    transaction.respond(ok);
    const callId = request.headers.get('Call-ID');
    const retransmission = retransmitOkUntilAck(this.clock, this.timerSettings, transaction, ok, () => {
      this.options.logger.warn("No ACK from the agent's phone for our 200 to its re-INVITE; hanging up the agent leg", { callId });
      call.hangup();
    });
    call.acceptReinvite(getCSeq(request).sequence, negotiation.audio, retransmission);
  }

  private findOutboundDialog(request: SipRequest): OutboundCall | undefined {
    const localTag = getTag(request.headers.get('To') ?? '');
    const remoteTag = getTag(request.headers.get('From') ?? '');
    if (localTag === undefined || remoteTag === undefined) return undefined;
    return this.outboundDialogs.get(dialogId(request.headers.get('Call-ID') ?? '', localTag, remoteTag));
  }

  private findDialog(request: SipRequest): InboundCall | undefined {
    const localTag = getTag(request.headers.get('To') ?? '');
    const remoteTag = getTag(request.headers.get('From') ?? '');
    if (localTag === undefined || remoteTag === undefined) return undefined;
    return this.dialogs.get(dialogId(request.headers.get('Call-ID') ?? '', localTag, remoteTag));
  }

  /** @internal A response with our Allow/Server headers. */
  response(request: SipRequest, status: number, extras: ResponseExtras = {}): SipResponse {
    return buildResponse(request, status, {
      reason: extras.reason,
      toTag: extras.toTag,
      headers: [...standardHeaders(status), ...(extras.headers ?? [])],
    });
  }
}

export interface AttachableTransport {
  on(event: 'message', listener: (message: SipMessage, remote: PeerAddress) => void): unknown;
}

interface ResponseExtras {
  reason?: string;
  toTag?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
}

type Responder = (status: number, extras?: ResponseExtras) => void;

/**
 * RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx to an INVITE (T1 doubling up to T2) until the ACK stops it;
 * none within 64·T1 → `giveUp` (the session is to be ended with a BYE).
 */
function retransmitOkUntilAck(clock: Clock, timers: SipTimerSettings, transaction: InviteServerTransaction, ok: SipResponse, giveUp: () => void): Retransmission {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const step = (interval: number) => {
    timer = clock.schedule(interval, () => {
      if (stopped) return;
      if (transaction.state === 'accepted') transaction.respond(ok);
      step(Math.min(2 * interval, timers.t2));
    });
  };
  // On every transport: a proxy on the way may forward our 2xx over UDP (§13.3.1.4).
  step(timers.t1);
  const deadline = clock.schedule(64 * timers.t1, () => {
    if (stopped) return;
    stopped = true;
    timer?.cancel();
    giveUp();
  });
  return {
    stop: () => {
      stopped = true;
      timer?.cancel();
      deadline.cancel();
    },
  };
}

function contactUriOf(local: LocalContact): string {
  const host = local.host.includes(':') ? `[${local.host}]` : local.host;
  return `<sip:${host}:${local.port}${local.protocol === 'TCP' ? ';transport=tcp' : ''}>`;
}

function standardHeaders(status: number): [string, string][] {
  const headers: [string, string][] = [['Server', SERVER_NAME]];
  if (status === 200 || status === 405 || status === 501) headers.unshift(['Allow', ALLOWED_METHODS.join(', ')]);
  return headers;
}

function withServerHeaders(response: SipResponse): SipResponse {
  if (!response.headers.has('Server')) response.headers.append('Server', SERVER_NAME);
  return response;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One inbound call as the application sees it. The application decides: ring(), answer(rtp),
 * reject(status) and later hangup(); the signalling details (retransmitting the 200 until the
 * ACK, answering re-INVITEs, sending BYE through a client transaction) stay in here.
 */
export class InboundCall {
  readonly dialog: Dialog;
  readonly callId: string;
  /** The caller's From value (number in the URI, display name if any). */
  readonly from: string;
  readonly to: string;
  readonly requestUri: string;
  readonly remote: PeerAddress;
  readonly protocol: TransportProtocol;
  private currentState: InboundCallState = 'offered';
  private currentAudio: NegotiatedAudio;
  private local: RtpEndpoint | undefined;
  private readonly sessionId = Math.floor(Math.random() * 1e9);
  private sessionVersion = 1;
  private retransmission: Retransmission | undefined;
  /** The server transaction of a re-INVITE waiting for its ACK, if any. */
  private pendingReinvite: { sequence: number; transaction: InviteServerTransaction } | undefined;

  constructor(
    private readonly server: UserAgentServer,
    private readonly incoming: IncomingRequest,
    readonly inviteTransaction: InviteServerTransaction,
    audio: NegotiatedAudio,
    private offer: Parameters<typeof buildAnswer>[0],
  ) {
    const { request } = incoming;
    this.dialog = Dialog.asServer(request, newTag());
    this.callId = this.dialog.callId;
    this.from = request.headers.get('From') ?? '';
    this.to = request.headers.get('To') ?? '';
    this.requestUri = request.requestUri;
    this.remote = incoming.remote;
    this.protocol = incoming.binding.protocol;
    this.currentAudio = audio;
  }

  get state(): InboundCallState {
    return this.currentState;
  }

  /** What the offer and our answer agreed on (updated by re-INVITEs). */
  get audio(): NegotiatedAudio {
    return this.currentAudio;
  }

  get localRtp(): RtpEndpoint | undefined {
    return this.local;
  }

  get onHold(): boolean {
    return this.currentAudio.onHold;
  }

  /** 180 Ringing (with our To tag, so the dialog is early). */
  ring(): void {
    if (this.currentState !== 'offered') return;
    this.currentState = 'ringing';
    this.inviteTransaction.respond(this.server.response(this.incoming.request, 180, { toTag: this.dialog.localTag, headers: this.contactHeader() }));
  }

  /** 200 OK with our SDP answer; retransmitted (T1 doubling up to T2) until the ACK, BYE after 64·T1 without one. */
  answer(localRtp: RtpEndpoint): void {
    if (this.currentState !== 'offered' && this.currentState !== 'ringing') {
      throw new Error(`Cannot answer call ${this.callId} in state ${this.currentState}`);
    }
    this.local = localRtp;
    this.currentState = 'answered';
    this.server.settleInvite(this);
    this.sendAnsweringOk(this.inviteTransaction, this.incoming.request);
  }

  /** A final error response (486 Busy Here when the queue is full, 480, 603…). */
  reject(status = 486): void {
    if (status < 300 || status > 699) throw new RangeError(`Cannot reject a call with ${status}`);
    if (this.currentState !== 'offered' && this.currentState !== 'ringing') return;
    this.inviteTransaction.respond(this.server.response(this.incoming.request, status, { toTag: this.dialog.localTag }));
    this.finish('rejected', 'bridge');
  }

  /** Ends the call from our side: BYE once answered, 480 before. */
  hangup(): void {
    if (this.currentState === 'offered' || this.currentState === 'ringing') {
      this.inviteTransaction.respond(this.server.response(this.incoming.request, 480, { toTag: this.dialog.localTag }));
      this.finish('rejected', 'bridge');
      return;
    }
    if (this.currentState === 'ended') return;
    this.sendBye();
    this.finish('bye', 'bridge');
  }

  /** @internal the application failed while taking the call: 500, ended with `error`. */
  fail(): void {
    if (this.currentState !== 'offered' && this.currentState !== 'ringing') return;
    this.inviteTransaction.respond(this.server.response(this.incoming.request, 500, { toTag: this.dialog.localTag }));
    this.finish('error', 'bridge');
  }

  /** @internal */
  cancelledByCaller(): void {
    if (this.currentState !== 'offered' && this.currentState !== 'ringing') return;
    this.inviteTransaction.respond(this.server.response(this.incoming.request, 487, { toTag: this.dialog.localTag }));
    this.finish('cancel', 'caller');
  }

  /** @internal */
  endedByCaller(): void {
    this.finish('bye', 'caller');
  }

  /** @internal */
  receiveAck(ack: SipRequest): void {
    const sequence = getCSeq(ack).sequence;
    if (this.pendingReinvite !== undefined && this.pendingReinvite.sequence === sequence) {
      this.pendingReinvite = undefined;
      this.retransmission?.stop();
      return;
    }
    if (this.currentState === 'answered' && sequence === getCSeq(this.incoming.request).sequence) {
      this.retransmission?.stop();
      this.currentState = 'confirmed';
      this.server.emitSafely('callAnswered', this);
    }
  }

  /** @internal A re-INVITE in the dialog: new offer, hold/unhold, 200 with a new answer. */
  receiveReinvite(incoming: IncomingRequest, respond: Responder): void {
    const transaction = incoming.transaction as InviteServerTransaction;
    if (this.currentState !== 'confirmed' || this.pendingReinvite !== undefined) {
      // §14.2: an INVITE while the previous one is unfinished.
      return respond(500, { headers: [['Retry-After', '1']] });
    }
    const { request } = incoming;
    if (request.body.length === 0) return respond(488, { headers: [['Warning', '304 jiesu "An SDP offer is required"']] });
    const negotiation = negotiateOffer(request.body.toString('utf8'));
    // A refused re-offer leaves the session as it was (RFC 3264 §8).
    if (!negotiation.acceptable) return respond(488, { headers: [['Warning', `304 jiesu "${negotiation.reason}"`]] });
    const wasOnHold = this.currentAudio.onHold;
    this.currentAudio = negotiation.audio;
    this.offer = negotiation.offer;
    if (request.headers.get('Contact') !== undefined) this.dialog.remoteTarget = uriOfNameAddr(request.headers.get('Contact') ?? '');
    this.pendingReinvite = { sequence: getCSeq(request).sequence, transaction };
    this.sendAnsweringOk(transaction, request);
    if (wasOnHold !== negotiation.audio.onHold) this.server.emitSafely('callHold', this, negotiation.audio.onHold);
  }

  /** @internal shutdown */
  forget(): void {
    this.retransmission?.stop();
    this.currentState = 'ended';
  }

  private sendAnsweringOk(transaction: InviteServerTransaction, request: SipRequest): void {
    const local = this.local;
    if (local === undefined) throw new Error('No local RTP endpoint');
    const answer = buildAnswer(this.offer, this.currentAudio, { local, sessionId: this.sessionId, sessionVersion: this.sessionVersion++ });
    const ok = this.server.response(request, 200, {
      toTag: this.dialog.localTag,
      headers: [...this.contactHeader(), ['Content-Type', 'application/sdp']],
    });
    ok.body = Buffer.from(answer, 'utf8');
    transaction.respond(ok);
    this.retransmitUntilAck(transaction, ok);
  }

  /** RFC 3261 §13.3.1.4: the 2xx is retransmitted until the ACK; none within 64·T1 → BYE. */
  private retransmitUntilAck(transaction: InviteServerTransaction, ok: SipResponse): void {
    this.retransmission?.stop();
    this.retransmission = retransmitOkUntilAck(this.server.clock, this.server.timerSettings, transaction, ok, () => {
      this.sendBye();
      this.finish('timeout', 'bridge');
    });
  }

  private sendBye(): void {
    const binding = this.incoming.binding;
    const bye = this.dialog.createRequest('BYE', this.server.localContact(binding));
    let destination: PeerAddress;
    try {
      destination = binding.protocol === 'UDP' ? this.dialog.nextHop() : this.remote;
    } catch {
      destination = this.remote;
    }
    this.server.transactions.sendRequest(bye, destination, binding, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
    });
  }

  private finish(reason: CallEndReason, initiator: CallEndInitiator): void {
    if (this.currentState === 'ended') return;
    this.currentState = 'ended';
    this.retransmission?.stop();
    this.server.forgetCall(this);
    this.server.emitSafely('callEnded', this, reason, initiator);
  }

  private contactHeader(): [string, string][] {
    return [['Contact', contactUriOf(this.server.localContact(this.incoming.binding))]];
  }
}

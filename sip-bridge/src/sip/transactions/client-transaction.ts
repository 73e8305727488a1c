import { randomBytes } from 'node:crypto';
import { SipHeaders } from '../headers';
import { getCSeq, type SipRequest, type SipResponse } from '../message';
import { BRANCH_MAGIC_COOKIE } from '../via';
import type { Clock, SipTimerSettings, TimerHandle } from './clock';

export interface ClientTransactionContext {
  clock: Clock;
  timers: SipTimerSettings;
  reliable: boolean;
  /** Puts the request (or the ACK this transaction builds) on the wire; never throws. */
  transmit(request: SipRequest): void;
  /** Every response the TU must see: provisional, final, and for INVITE retransmitted 2xx too. */
  onResponse(response: SipResponse): void;
  /** Timer B or F: no final response came (the TU treats it like a 408). */
  onTimeout(): void;
  onTerminated(): void;
}

export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** A fresh RFC 3261 branch: the magic cookie and 64 random bits. */
export function newBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomBytes(8).toString('hex')}`;
}

/**
 * The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): hop-by-hop, same branch and
 * Request-URI as the INVITE, the To of the response (with its tag), CSeq number of the INVITE.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  headers.append('Via', invite.headers.get('Via') ?? '');
  for (const route of invite.headers.getAll('Route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', invite.headers.get('From') ?? '');
  headers.append('To', response.headers.get('To') ?? invite.headers.get('To') ?? '');
  headers.append('Call-ID', invite.headers.get('Call-ID') ?? '');
  headers.append('CSeq', `${getCSeq(invite).sequence} ACK`);
  return { kind: 'request', method: 'ACK', requestUri: invite.requestUri, headers, body: Buffer.alloc(0) };
}

abstract class ClientTransactionBase<State extends string> {
  protected timers: TimerHandle[] = [];
  protected abstract currentState: State;

  constructor(
    readonly request: SipRequest,
    protected readonly context: ClientTransactionContext,
  ) {}

  get state(): State {
    return this.currentState;
  }

  abstract start(): void;
  abstract receiveResponse(response: SipResponse): void;
  abstract terminate(): void;

  protected schedule(delay: number, callback: () => void): TimerHandle {
    const timer = this.context.clock.schedule(delay, callback);
    this.timers.push(timer);
    return timer;
  }

  protected cancelTimers(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
  }
}

/**
 * INVITE client transaction (RFC 3261 §17.1.1, RFC 6026): retransmits on UDP (timer A, T1
 * doubling) while Calling; timer B (64·T1) ends it without a response. A 2xx moves it to Accepted
 * (timer M), where retransmitted 2xx still reach the TU so it can ACK them again; a non-2xx final
 * response is ACKed here, and retransmissions of it are ACKed again during timer D.
 */
export class InviteClientTransaction extends ClientTransactionBase<InviteClientState> {
  readonly kind = 'invite';
  protected currentState: InviteClientState = 'calling';
  private ack: SipRequest | undefined;

  start(): void {
    this.context.transmit(this.request);
    if (!this.context.reliable) this.retransmit(this.context.timers.t1);
    // Timer B; cancelled with timer A by the first response.
    this.schedule(64 * this.context.timers.t1, () => {
      if (this.currentState !== 'calling') return;
      this.terminate();
      this.context.onTimeout();
    });
  }

  receiveResponse(response: SipResponse): void {
    const { status } = response;
    switch (this.currentState) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          this.currentState = 'proceeding';
          this.cancelTimers();
          this.context.onResponse(response);
        } else if (status < 300) {
          this.currentState = 'accepted';
          this.cancelTimers();
          this.schedule(64 * this.context.timers.t1, () => this.terminate()); // timer M
          this.context.onResponse(response);
        } else {
          this.currentState = 'completed';
          this.cancelTimers();
          this.ack = buildNon2xxAck(this.request, response);
          this.context.transmit(this.ack);
          this.schedule(this.context.reliable ? 0 : 32_000, () => this.terminate()); // timer D
          this.context.onResponse(response);
        }
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.context.onResponse(response);
        return;
      case 'completed':
        if (status >= 300 && this.ack !== undefined) this.context.transmit(this.ack);
        return;
      case 'terminated':
        return;
    }
  }

  terminate(): void {
    if (this.currentState === 'terminated') return;
    this.currentState = 'terminated';
    this.cancelTimers();
    this.context.onTerminated();
  }

  private retransmit(interval: number): void {
    this.schedule(interval, () => {
      if (this.currentState !== 'calling') return;
      this.context.transmit(this.request);
      this.retransmit(2 * interval);
    });
  }
}

/**
 * Non-INVITE client transaction (RFC 3261 §17.1.2): timer E retransmits on UDP (T1 doubling up to
 * T2, T2 once a provisional response came); timer F (64·T1) ends it; after the final response it
 * absorbs retransmissions for timer K (T4 on UDP, 0 on TCP).
 */
export class NonInviteClientTransaction extends ClientTransactionBase<NonInviteClientState> {
  readonly kind = 'non-invite';
  protected currentState: NonInviteClientState = 'trying';

  start(): void {
    this.context.transmit(this.request);
    if (!this.context.reliable) this.retransmit(this.context.timers.t1);
    this.schedule(64 * this.context.timers.t1, () => {
      // Timer F
      if (this.currentState !== 'trying' && this.currentState !== 'proceeding') return;
      this.terminate();
      this.context.onTimeout();
    });
  }

  receiveResponse(response: SipResponse): void {
    if (this.currentState !== 'trying' && this.currentState !== 'proceeding') return;
    if (response.status < 200) {
      this.currentState = 'proceeding';
      this.context.onResponse(response);
      return;
    }
    this.currentState = 'completed';
    this.cancelTimers();
    this.schedule(this.context.reliable ? 0 : this.context.timers.t4, () => this.terminate()); // timer K
    this.context.onResponse(response);
  }

  terminate(): void {
    if (this.currentState === 'terminated') return;
    this.currentState = 'terminated';
    this.cancelTimers();
    this.context.onTerminated();
  }

  private retransmit(interval: number): void {
    this.schedule(interval, () => {
      if (this.currentState !== 'trying' && this.currentState !== 'proceeding') return;
      this.context.transmit(this.request);
      const next = this.currentState === 'proceeding' ? this.context.timers.t2 : Math.min(2 * interval, this.context.timers.t2);
      this.retransmit(next);
    });
  }
}

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

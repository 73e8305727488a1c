import type { SipRequest, SipResponse } from '../message';
import type { Clock, SipTimerSettings, TimerHandle } from './clock';

export interface ServerTransactionContext {
  clock: Clock;
  timers: SipTimerSettings;
  /** TCP: no retransmissions, and the "wait for stray retransmissions" timers are zero. */
  reliable: boolean;
  /** Puts a response on the wire to where responses for this request go; never throws. */
  transmit(response: SipResponse): void;
  /** The transaction is over and may be forgotten. */
  onTerminated(): void;
  /** Timer H: a final non-2xx response to an INVITE was never acknowledged. */
  onAckTimeout?(): void;
}

export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/**
 * INVITE server transaction (RFC 3261 §17.2.1 with the RFC 6026 "Accepted" state). A retransmitted
 * INVITE gets the last response again; a non-2xx final response is retransmitted on UDP (timer G,
 * T1 doubling up to T2) until the ACK arrives or timer H (64·T1) gives up. After a 2xx the
 * transaction waits in Accepted for timer L (64·T1); retransmitting the 2xx itself is the UAS core's job.
 */
export class InviteServerTransaction {
  readonly kind = 'invite';
  private currentState: InviteServerState = 'proceeding';
  private lastResponse: SipResponse | undefined;
  private timers: TimerHandle[] = [];

  constructor(
    readonly request: SipRequest,
    private readonly context: ServerTransactionContext,
  ) {}

  get state(): InviteServerState {
    return this.currentState;
  }

  get finalStatus(): number | undefined {
    return this.lastResponse !== undefined && this.lastResponse.status >= 200 ? this.lastResponse.status : undefined;
  }

  respond(response: SipResponse): void {
    const { status } = response;
    if (this.currentState === 'accepted' && status >= 200 && status < 300) {
      // The UAS core retransmitting its 2xx (RFC 6026 §8.5).
      this.lastResponse = response;
      this.context.transmit(response);
      return;
    }
    if (this.currentState !== 'proceeding') {
      throw new Error(`Cannot send ${status} on an INVITE transaction in state ${this.currentState}`);
    }
    this.lastResponse = response;
    this.context.transmit(response);
    if (status < 200) return;
    if (status < 300) {
      this.currentState = 'accepted';
      this.schedule(64 * this.context.timers.t1, () => this.terminate()); // timer L
      return;
    }
    this.currentState = 'completed';
    if (!this.context.reliable) this.retransmitFinal(this.context.timers.t1); // timer G
    this.schedule(64 * this.context.timers.t1, () => {
      // Timer H
      this.terminate();
      this.context.onAckTimeout?.();
    });
  }

  /** A retransmission of the INVITE: absorbed, with the last response sent again. */
  receiveRetransmission(): void {
    if (this.lastResponse !== undefined && this.currentState !== 'confirmed' && this.currentState !== 'terminated') {
      this.context.transmit(this.lastResponse);
    }
  }

  /** The ACK for a non-2xx final response (it matches this transaction; a 2xx ACK does not). */
  receiveAck(): void {
    if (this.currentState !== 'completed') return;
    this.currentState = 'confirmed';
    this.cancelTimers();
    this.schedule(this.context.reliable ? 0 : this.context.timers.t4, () => this.terminate()); // timer I
  }

  terminate(): void {
    if (this.currentState === 'terminated') return;
    this.currentState = 'terminated';
    this.cancelTimers();
    this.context.onTerminated();
  }

  private retransmitFinal(interval: number): void {
    this.schedule(interval, () => {
      if (this.currentState !== 'completed' || this.lastResponse === undefined) return;
      this.context.transmit(this.lastResponse);
      this.retransmitFinal(Math.min(2 * interval, this.context.timers.t2));
    });
  }

  private schedule(delay: number, callback: () => void): void {
    this.timers.push(this.context.clock.schedule(delay, callback));
  }

  private cancelTimers(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
  }
}

/**
 * Non-INVITE server transaction (RFC 3261 §17.2.2): retransmitted requests get the last response
 * again (none while Trying); after the final response it lingers for timer J (64·T1 on UDP, 0 on TCP).
 */
export class NonInviteServerTransaction {
  readonly kind = 'non-invite';
  private currentState: NonInviteServerState = 'trying';
  private lastResponse: SipResponse | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly context: ServerTransactionContext,
  ) {}

  get state(): NonInviteServerState {
    return this.currentState;
  }

  respond(response: SipResponse): void {
    if (this.currentState === 'completed' || this.currentState === 'terminated') {
      throw new Error(`Cannot send ${response.status} on a ${this.request.method} transaction in state ${this.currentState}`);
    }
    this.lastResponse = response;
    this.context.transmit(response);
    if (response.status < 200) {
      this.currentState = 'proceeding';
      return;
    }
    this.currentState = 'completed';
    this.timer = this.context.clock.schedule(this.context.reliable ? 0 : 64 * this.context.timers.t1, () => this.terminate()); // timer J
  }

  receiveRetransmission(): void {
    if (this.lastResponse !== undefined && this.currentState !== 'terminated') this.context.transmit(this.lastResponse);
  }

  terminate(): void {
    if (this.currentState === 'terminated') return;
    this.currentState = 'terminated';
    this.timer?.cancel();
    this.context.onTerminated();
  }
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

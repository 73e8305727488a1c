import type { Logger } from '../../logger';
import type { SipMessage, SipRequest, SipResponse } from '../message';
import { responseDestination } from '../responses';
import { type Clock, DEFAULT_TIMERS, type SipTimerSettings, systemClock } from './clock';
import {
  type ClientTransaction,
  InviteClientTransaction,
  NonInviteClientTransaction,
} from './client-transaction';
import {
  InviteServerTransaction,
  NonInviteServerTransaction,
  type ServerTransaction,
  type ServerTransactionContext,
} from './server-transaction';
import { cancelledInviteKey, clientTransactionKey, serverTransactionKey } from './transaction-key';
import { isReliable, type PeerAddress, type TransportBinding } from './transport-binding';

/** A new request for the transaction user (the UAS core), with its server transaction. */
export interface IncomingRequest {
  request: SipRequest;
  /** Where the request came from (the connection, for TCP). */
  remote: PeerAddress;
  binding: TransportBinding;
  /** Absent for ACK, which has no transaction of its own (a 2xx ACK is end-to-end). */
  transaction: ServerTransaction | undefined;
}

export interface ClientRequestHandlers {
  onResponse(response: SipResponse): void;
  /** Timer B/F fired, or the transport failed: the TU acts as on a 408. */
  onTimeout(): void;
}

export interface TransactionLayerOptions {
  clock?: Clock;
  timers?: Partial<SipTimerSettings>;
  logger?: Logger;
  onRequest(incoming: IncomingRequest): void;
  /** A response no client transaction claims, e.g. a 2xx retransmitted after timer M. */
  onStrayResponse?(response: SipResponse, remote: PeerAddress, binding: TransportBinding): void;
  /** Timer H fired for a final non-2xx response to an INVITE. */
  onAckTimeout?(transaction: InviteServerTransaction): void;
}

/**
 * The transaction layer (RFC 3261 §17): matches requests to server transactions (which absorb
 * retransmissions), responses to client transactions, and hands everything new to the TU.
 */
export class TransactionLayer {
  readonly clock: Clock;
  readonly timers: SipTimerSettings;
  private readonly serverTransactions = new Map<string, ServerTransaction>();
  private readonly clientTransactions = new Map<string, ClientTransaction>();

  constructor(private readonly options: TransactionLayerOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
  }

  get serverTransactionCount(): number {
    return this.serverTransactions.size;
  }

  get clientTransactionCount(): number {
    return this.clientTransactions.size;
  }

  receive(message: SipMessage, remote: PeerAddress, binding: TransportBinding): void {
    if (message.kind === 'response') this.receiveResponse(message, remote, binding);
    else this.receiveRequest(message, remote, binding);
  }

  /** The INVITE server transaction a CANCEL targets, if it still exists. */
  findCancelledInvite(cancel: SipRequest): InviteServerTransaction | undefined {
    const transaction = this.serverTransactions.get(cancelledInviteKey(cancel));
    return transaction?.kind === 'invite' ? transaction : undefined;
  }

  /** Sends a request through a new client transaction (not for ACK, which is sent with `sendAck`). */
  sendRequest(request: SipRequest, destination: PeerAddress, binding: TransportBinding, handlers: ClientRequestHandlers): ClientTransaction {
    const key = clientTransactionKey(request);
    if (key === undefined) throw new Error(`Cannot send ${request.method} without a Via branch`);
    if (request.method === 'ACK') throw new Error('ACK is not sent through a client transaction');
    const context = {
      clock: this.clock,
      timers: this.timers,
      reliable: isReliable(binding.protocol),
      transmit: (outgoing: SipRequest) => this.transmit(binding, outgoing, destination, () => handlers.onTimeout()),
      onResponse: (response: SipResponse) => handlers.onResponse(response),
      onTimeout: () => handlers.onTimeout(),
      onTerminated: () => this.clientTransactions.delete(key),
    };
    const transaction =
      request.method === 'INVITE' ? new InviteClientTransaction(request, context) : new NonInviteClientTransaction(request, context);
    this.clientTransactions.set(key, transaction);
    transaction.start();
    return transaction;
  }

  /** The ACK for a 2xx is end-to-end and sent by the TU outside any transaction (RFC 3261 §13.2.2.4). */
  sendAck(ack: SipRequest, destination: PeerAddress, binding: TransportBinding): void {
    this.transmit(binding, ack, destination);
  }

  /** Forgets every transaction and cancels their timers (shutdown). */
  close(): void {
    for (const transaction of [...this.serverTransactions.values()]) transaction.terminate();
    for (const transaction of [...this.clientTransactions.values()]) transaction.terminate();
  }

  private receiveRequest(request: SipRequest, remote: PeerAddress, binding: TransportBinding): void {
    const key = serverTransactionKey(request);
    const existing = this.serverTransactions.get(key);
    if (request.method === 'ACK') {
      if (existing?.kind === 'invite' && existing.state === 'completed') {
        existing.receiveAck();
        return;
      }
      // A 2xx ACK (new branch), or an ACK for a transaction already gone: the TU decides.
      this.options.onRequest({ request, remote, binding, transaction: undefined });
      return;
    }
    if (existing !== undefined) {
      existing.receiveRetransmission();
      return;
    }
    const context: ServerTransactionContext = {
      clock: this.clock,
      timers: this.timers,
      reliable: isReliable(binding.protocol),
      transmit: (response) => this.transmit(binding, response, responseTarget(response, remote, binding)),
      onTerminated: () => this.serverTransactions.delete(key),
    };
    const transaction: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, {
            ...context,
            onAckTimeout: () => this.options.onAckTimeout?.(transaction as InviteServerTransaction),
          })
        : new NonInviteServerTransaction(request, context);
    this.serverTransactions.set(key, transaction);
    this.options.onRequest({ request, remote, binding, transaction });
  }

  private receiveResponse(response: SipResponse, remote: PeerAddress, binding: TransportBinding): void {
    const key = clientTransactionKey(response);
    const transaction = key === undefined ? undefined : this.clientTransactions.get(key);
    if (transaction === undefined) {
      this.options.onStrayResponse?.(response, remote, binding);
      return;
    }
    transaction.receiveResponse(response);
  }

  private transmit(binding: TransportBinding, message: SipMessage, destination: PeerAddress, onFailure?: () => void): void {
    binding.sender.send(message, destination.address, destination.port).catch((error: unknown) => {
      this.options.logger?.warn('Failed to send SIP message', {
        to: `${destination.address}:${destination.port}`,
        transport: binding.protocol,
        error: error instanceof Error ? error.message : String(error),
      });
      onFailure?.();
    });
  }
}

/**
 * Where responses to a request go (RFC 3261 §18.2.2): on TCP back on the connection it came on; on
 * UDP to `received`/`rport` of the top Via (stamped by the transport on receipt, RFC 3581).
 */
function responseTarget(response: SipResponse, remote: PeerAddress, binding: TransportBinding): PeerAddress {
  if (binding.protocol !== 'UDP') return remote;
  return responseDestination(response);
}

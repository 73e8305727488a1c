import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { type SipMessage, parseSipMessage, serializeSipMessage } from '../sip/message';
import { stampTopVia } from '../sip/via';

export interface UdpTransportOptions {
  /** An IPv4 or IPv6 literal; `0.0.0.0` or `::` to listen everywhere. */
  host: string;
  /** 0 lets the system pick a free port; read it back with `address()`. */
  port: number;
}

export interface RemoteAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type UdpTransportEvents = {
  message: [message: SipMessage, remote: RemoteAddress];
  /** Malformed datagrams (with the peer that sent them) and socket errors (without). */
  error: [error: Error, remote: RemoteAddress | undefined];
  /** A datagram that did not parse, for a layer that answers 400 where the request can still be answered. */
  malformed: [datagram: Buffer, error: Error, remote: RemoteAddress];
};

/** Datagrams that are only line breaks or spaces: CRLF keep-alives some phones send (RFC 5626 style). */
const KEEP_ALIVE = /^[\r\n ]*$/;

/**
 * SIP over UDP (RFC 3261 §18): one message per datagram. Nothing a peer sends can crash it:
 * unparsable datagrams are reported as `error` events and dropped, and with no `error` listener
 * they are dropped silently instead of throwing the way a bare EventEmitter would.
 */
export class UdpTransport extends EventEmitter<UdpTransportEvents> {
  private closed = false;

  private constructor(private readonly socket: Socket) {
    super();
    socket.on('message', (datagram, remote) => this.receive(datagram, remote));
    socket.on('error', (error) => this.report(error, undefined));
  }

  static async create(options: UdpTransportOptions): Promise<UdpTransport> {
    const family = isIP(options.host);
    if (family === 0) throw new Error(`Cannot listen for SIP on ${JSON.stringify(options.host)}: not an IP address`);
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        socket.close();
        reject(new Error(`Cannot listen for SIP on udp ${options.host}:${options.port}: ${error.message}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.bind(options.port, options.host, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    return new UdpTransport(socket);
  }

  address(): { address: string; port: number } {
    const { address, port } = this.socket.address();
    return { address, port };
  }

  async send(message: SipMessage, address: string, port: number): Promise<void> {
    if (this.closed) throw new Error('Cannot send SIP message: transport is closed');
    const datagram = serializeSipMessage(message);
    await new Promise<void>((resolve, reject) => {
      this.socket.send(datagram, port, address, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(datagram: Buffer, info: RemoteInfo): void {
    const remote: RemoteAddress = { address: info.address, port: info.port, family: info.family };
    if (KEEP_ALIVE.test(datagram.toString('latin1'))) return;
    let message: SipMessage;
    try {
      message = parseSipMessage(datagram);
      if (message.kind === 'request') stampTopVia(message.headers, remote);
    } catch (error) {
      this.report(asError(error), remote);
      if (this.listenerCount('malformed') > 0) this.emit('malformed', datagram, asError(error), remote);
      return;
    }
    try {
      this.emit('message', message, remote);
    } catch (error) {
      // A listener bug must cost one message, not every call the bridge is carrying.
      this.report(new Error(`SIP message listener failed: ${asError(error).message}`, { cause: error }), remote);
    }
  }

  private report(error: Error, remote: RemoteAddress | undefined): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, remote);
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

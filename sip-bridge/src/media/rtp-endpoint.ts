import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type { Logger } from '../logger';
import { errorMessage } from './error-message';
import { type RtpPacket, parseRtpPacket, serializeRtpPacket } from './rtp-packet';

export interface RtpRemote {
  address: string;
  port: number;
}

/** An inclusive range of UDP ports for RTP, e.g. 10000–20000 (Asterisk's and FreeSWITCH's default). */
export interface RtpPortRange {
  min: number;
  max: number;
}

/**
 * Hands out even ports from the range (RTP on even ports, RFC 3550 §11; the odd one above stays free for
 * RTCP). Round-robin from the last port handed out, so a port released by an ended call is reused last:
 * stray packets still on their way to it do not land in a new call.
 */
export class RtpPortAllocator {
  private readonly inUse = new Set<number>();
  private readonly first: number;
  private readonly count: number;
  private cursor = 0;

  constructor(range: RtpPortRange) {
    if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 1024 || range.max > 65535 || range.min > range.max)
      throw new Error(`RTP port range ${range.min}-${range.max} is invalid: it must be whole ports within 1024-65535, min ≤ max`);
    this.first = range.min + (range.min % 2);
    this.count = Math.floor((range.max - this.first) / 2) + 1;
    if (this.count < 1) throw new Error(`RTP port range ${range.min}-${range.max} holds no even port`);
  }

  get allocatedCount(): number {
    return this.inUse.size;
  }

  get capacity(): number {
    return this.count;
  }

  allocate(): number {
    for (let attempt = 0; attempt < this.count; attempt += 1) {
      const port = this.first + ((this.cursor + attempt) % this.count) * 2;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      this.cursor = (this.cursor + attempt + 1) % this.count;
      return port;
    }
    throw new Error(`No free RTP port in ${this.first}-${this.first + (this.count - 1) * 2}: all ${this.count} are in use`);
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}

export interface RtpEndpointStats {
  received: number;
  /** Datagrams that are not RTP (parse errors); dropped. */
  invalid: number;
  /** RTP from an address other than the learned remote; dropped. */
  foreign: number;
  sent: number;
}

export type RtpEndpointEvents = {
  packet: [packet: RtpPacket, from: RtpRemote];
  invalid: [error: Error, from: RtpRemote];
  /** The remote address in use changed: from the SDP, or learned from incoming RTP (symmetric RTP). */
  remote: [remote: RtpRemote, how: 'sdp' | 'learned'];
};

export interface RtpEndpointOptions {
  allocator: RtpPortAllocator;
  /** The address to bind (the one announced in the SDP's c= line, or 0.0.0.0). */
  host: string;
  logger?: Logger;
}

/** Ports tried before giving up when some are taken by other programs. */
const BIND_ATTEMPTS = 20;

/**
 * One call leg's RTP socket. The remote address comes from the SDP and is then corrected by the first
 * packet that arrives (symmetric RTP, RFC 4961 — the caller behind NAT is reachable only at the address
 * its packets come from); after that, packets from anywhere else are dropped. `expectRemote()` (a
 * re-INVITE's new SDP) re-opens learning. Nothing a peer sends can throw out of the socket handler.
 */
export class RtpEndpoint extends EventEmitter<RtpEndpointEvents> {
  private remoteAddress: RtpRemote | undefined;
  private learning = true;
  private closed = false;
  private readonly counters: RtpEndpointStats = { received: 0, invalid: 0, foreign: 0, sent: 0 };

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly allocator: RtpPortAllocator,
    private readonly logger: Logger | undefined,
  ) {
    super();
    socket.on('message', (datagram, info) => this.receive(datagram, info));
    socket.on('error', (error) => this.logger?.warn('RTP socket error', { port, error }));
  }

  static async open(options: RtpEndpointOptions): Promise<RtpEndpoint> {
    const family = isIP(options.host);
    if (family === 0) throw new Error(`Cannot open RTP on ${JSON.stringify(options.host)}: not an IP address`);
    let lastError: unknown;
    for (let attempt = 0; attempt < Math.min(BIND_ATTEMPTS, options.allocator.capacity); attempt += 1) {
      const port = options.allocator.allocate();
      const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(port, options.host, () => {
            socket.off('error', reject);
            resolve();
          });
        });
        return new RtpEndpoint(socket, port, options.allocator, options.logger);
      } catch (error) {
        // Taken by another program: leave it marked in use for now (so the next attempt moves on) and free it after.
        lastError = error;
        socket.close();
        setImmediate(() => options.allocator.release(port));
      }
    }
    throw new Error(`Cannot open an RTP port on ${options.host}: ${errorMessage(lastError)}`, { cause: lastError });
  }

  get remote(): RtpRemote | undefined {
    return this.remoteAddress;
  }

  get stats(): Readonly<RtpEndpointStats> {
    return { ...this.counters };
  }

  /** The remote from an SDP offer/answer; the next packet's source may still correct it. */
  expectRemote(remote: RtpRemote): void {
    this.remoteAddress = { ...remote };
    this.learning = true;
    this.emit('remote', this.remoteAddress, 'sdp');
  }

  /** Sends to the remote; returns false (and sends nothing) while no remote is known or after close. */
  send(packet: RtpPacket): boolean {
    const remote = this.remoteAddress;
    if (!remote || this.closed) return false;
    this.socket.send(serializeRtpPacket(packet), remote.port, remote.address, (error) => {
      if (error) this.logger?.warn('RTP send failed', { port: this.port, remote, error });
    });
    this.counters.sent += 1;
    return true;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) =>
      this.socket.close(() => {
        this.allocator.release(this.port);
        resolve();
      }),
    );
  }

  private receive(datagram: Buffer, info: RemoteInfo): void {
    const from: RtpRemote = { address: info.address, port: info.port };
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(datagram);
    } catch (error) {
      this.counters.invalid += 1;
      if (this.listenerCount('invalid') > 0) this.emit('invalid', error instanceof Error ? error : new Error(errorMessage(error)), from);
      return;
    }
    if (this.learning) {
      this.learning = false;
      if (this.remoteAddress?.address !== from.address || this.remoteAddress.port !== from.port) {
        this.remoteAddress = from;
        this.emit('remote', from, 'learned');
      }
    } else if (this.remoteAddress?.address !== from.address || this.remoteAddress.port !== from.port) {
      this.counters.foreign += 1;
      return;
    }
    this.counters.received += 1;
    try {
      this.emit('packet', packet, from);
    } catch (error) {
      // A listener bug costs one packet, not the call.
      this.logger?.error('RTP packet listener failed', { port: this.port, error });
    }
  }
}

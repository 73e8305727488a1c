import { EventEmitter } from 'node:events';
import { type Server, type Socket, connect, createServer, isIP } from 'node:net';
import { badRequestForMalformed } from '../sip/malformed-request';
import { type SipMessage, type SipResponse, parseSipMessage, serializeSipMessage } from '../sip/message';
import { stampTopVia } from '../sip/via';
import type { RemoteAddress } from './udp-transport';

export interface TcpTransportOptions {
  /** An IPv4 or IPv6 literal; `0.0.0.0` or `::` to listen everywhere. */
  host: string;
  /** 0 lets the system pick a free port; read it back with `address()`. */
  port: number;
  /** Longest header section accepted; beyond it the peer gets 400 and the connection is closed. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted; beyond it 413 and close. Default 64 KiB. */
  maxBodyBytes?: number;
  /** A message that stays incomplete this long closes the connection (slow senders). Default 30 s. */
  incompleteMessageTimeoutMs?: number;
  /** Default 1024. */
  maxConnections?: number;
}

export type TcpTransportEvents = {
  message: [message: SipMessage, remote: RemoteAddress];
  /** Malformed messages and broken streams (with the peer), listener/socket failures (without). */
  error: [error: Error, remote: RemoteAddress | undefined];
};

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im;

/** Framing failures after which the stream cannot be resynchronised. */
class StreamFramingError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
  }
}

interface Connection {
  socket: Socket;
  remote: RemoteAddress;
  buffer: Buffer;
}

/**
 * SIP over TCP (RFC 3261 §18.3): messages are framed by Content-Length on the stream, several may
 * arrive in one chunk and one may arrive in many. Requests are emitted with received/rport stamped
 * like UDP's; responses go back on the connection the request came on (`send` to the peer's
 * address and port finds it), and a request to a peer without a connection opens one.
 */
export class TcpTransport extends EventEmitter<TcpTransportEvents> {
  private readonly connections = new Map<string, Connection>();
  private closed = false;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly incompleteTimeoutMs: number;

  private constructor(
    private readonly server: Server,
    options: TcpTransportOptions,
  ) {
    super();
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.incompleteTimeoutMs = options.incompleteMessageTimeoutMs ?? 30_000;
    server.maxConnections = options.maxConnections ?? 1024;
    server.on('connection', (socket) => this.adopt(socket));
    server.on('error', (error) => this.report(error, undefined));
  }

  static async create(options: TcpTransportOptions): Promise<TcpTransport> {
    if (isIP(options.host) === 0) throw new Error(`Cannot listen for SIP on ${JSON.stringify(options.host)}: not an IP address`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.close();
        reject(new Error(`Cannot listen for SIP on tcp ${options.host}:${options.port}: ${error.message}`, { cause: error }));
      };
      server.once('error', onError);
      server.listen(options.port, options.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    return new TcpTransport(server, options);
  }

  address(): { address: string; port: number } {
    const bound = this.server.address();
    if (bound === null || typeof bound === 'string') throw new Error('TCP transport is not listening');
    return { address: bound.address, port: bound.port };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async send(message: SipMessage, address: string, port: number): Promise<void> {
    if (this.closed) throw new Error('Cannot send SIP message: transport is closed');
    const connection = this.connections.get(connectionKey(address, port)) ?? (await this.open(address, port));
    await write(connection.socket, serializeSipMessage(message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async open(address: string, port: number): Promise<Connection> {
    const socket = connect({ host: address, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve();
      });
      socket.once('error', (error) => reject(new Error(`Cannot connect to ${address}:${port} over TCP: ${error.message}`, { cause: error })));
    });
    return this.adopt(socket);
  }

  private adopt(socket: Socket): Connection {
    const remote: RemoteAddress = {
      address: unmapIPv4(socket.remoteAddress ?? ''),
      port: socket.remotePort ?? 0,
      family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    const connection: Connection = { socket, remote, buffer: Buffer.alloc(0) };
    const key = connectionKey(remote.address, remote.port);
    this.connections.set(key, connection);
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('timeout', () => {
      this.report(new Error(`Closed TCP connection: incomplete SIP message for ${this.incompleteTimeoutMs} ms`), remote);
      socket.destroy();
    });
    socket.on('error', (error) => this.report(error, remote));
    socket.on('close', () => {
      if (this.connections.get(key) === connection) this.connections.delete(key);
    });
    return connection;
  }

  private receive(connection: Connection, chunk: Buffer): void {
    connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
    try {
      for (;;) {
        const frame = this.nextFrame(connection);
        if (frame === undefined) break;
        this.deliver(connection, frame);
      }
    } catch (error) {
      if (!(error instanceof StreamFramingError)) throw error;
      this.failStream(connection, error);
      return;
    }
    // Only a half-received message arms the timer; an idle registered phone's connection stays open.
    connection.socket.setTimeout(connection.buffer.length > 0 ? this.incompleteTimeoutMs : 0);
  }

  /** Cuts one complete message off the front of the buffer, or returns undefined if more bytes are needed. */
  private nextFrame(connection: Connection): Buffer | undefined {
    let start = 0;
    const { buffer } = connection;
    while (start < buffer.length && (buffer[start] === 0x0d || buffer[start] === 0x0a)) start++;
    if (start >= 4 && buffer.subarray(0, 4).toString('latin1') === '\r\n\r\n') {
      // RFC 5626 §4.4.1 keep-alive ping: answer with a pong (one CRLF).
      connection.socket.write('\r\n');
    }
    if (start > 0) connection.buffer = buffer.subarray(start);
    const data = connection.buffer;
    if (data.length === 0) return undefined;

    const headerEnd = data.indexOf('\r\n\r\n');
    if (headerEnd === -1) {
      if (data.length > this.maxHeaderBytes) throw new StreamFramingError(`SIP header section exceeds ${this.maxHeaderBytes} bytes`, 400);
      return undefined;
    }
    if (headerEnd > this.maxHeaderBytes) throw new StreamFramingError(`SIP header section exceeds ${this.maxHeaderBytes} bytes`, 400);
    const headerText = data.toString('latin1', 0, headerEnd);
    const lengthMatch = CONTENT_LENGTH.exec(headerText);
    if (!lengthMatch) throw new StreamFramingError('Content-Length is required on a stream transport', 400);
    if (!/^\d{1,10}$/.test(lengthMatch[1])) throw new StreamFramingError(`Invalid Content-Length ${JSON.stringify(lengthMatch[1].slice(0, 20))}`, 400);
    const bodyLength = Number(lengthMatch[1]);
    if (bodyLength > this.maxBodyBytes) throw new StreamFramingError(`SIP body of ${bodyLength} bytes exceeds ${this.maxBodyBytes}`, 413);
    const frameLength = headerEnd + 4 + bodyLength;
    if (data.length < frameLength) return undefined;
    connection.buffer = data.subarray(frameLength);
    return data.subarray(0, frameLength);
  }

  private deliver(connection: Connection, frame: Buffer): void {
    let message: SipMessage;
    try {
      message = parseSipMessage(frame);
      if (message.kind === 'request') stampTopVia(message.headers, connection.remote);
    } catch (error) {
      // The frame was cut at the right place, so the stream stays usable after a 400.
      const problem = asError(error).message;
      this.report(asError(error), connection.remote);
      const reply = badRequestForMalformed(frame, problem);
      if (reply !== undefined) connection.socket.write(serializeSipMessage(reply));
      return;
    }
    try {
      this.emit('message', message, connection.remote);
    } catch (error) {
      this.report(new Error(`SIP message listener failed: ${asError(error).message}`, { cause: error }), connection.remote);
    }
  }

  /** The stream cannot be framed any more: answer what can be answered, then close (RFC 3261 §18.3). */
  private failStream(connection: Connection, error: StreamFramingError): void {
    this.report(error, connection.remote);
    const salvaged = badRequestForMalformed(connection.buffer, error.message);
    const reply: SipResponse | undefined = salvaged === undefined || error.status === 400 ? salvaged : withStatus(salvaged, error.status);
    connection.buffer = Buffer.alloc(0);
    if (reply !== undefined) connection.socket.end(serializeSipMessage(reply));
    else connection.socket.end();
    connection.socket.destroySoon();
  }

  private report(error: Error, remote: RemoteAddress | undefined): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, remote);
  }
}

function withStatus(response: SipResponse, status: 413): SipResponse {
  return { ...response, status, reason: 'Request Entity Too Large' };
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

function connectionKey(address: string, port: number): string {
  return `${unmapIPv4(address)}|${port}`;
}

function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

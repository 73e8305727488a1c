import { type Socket, connect } from 'node:net';

/** A TCP client for loopback tests: sends raw bytes, and reads SIP messages framed by Content-Length. */
export class TcpPeer {
  private buffer = Buffer.alloc(0);
  private readonly messages: Buffer[] = [];
  private readonly waiting: ((message: Buffer) => void)[] = [];
  private closedFlag = false;
  private readonly closeWaiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('close', () => {
      this.closedFlag = true;
      for (const waiter of this.closeWaiters.splice(0)) waiter();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<TcpPeer> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new TcpPeer(socket);
  }

  get port(): number {
    return this.socket.localPort ?? 0;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  nextMessage(timeoutMs = 2000): Promise<Buffer> {
    const queued = this.messages.shift();
    if (queued) return Promise.resolve(queued);
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const waiter = (message: Buffer) => {
        signal.removeEventListener('abort', onTimeout);
        resolve(message);
      };
      const onTimeout = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`No SIP message arrived over TCP within ${timeoutMs} ms`));
      };
      signal.addEventListener('abort', onTimeout, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Resolves when the other side has closed the connection. */
  whenClosed(timeoutMs = 2000): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error(`Connection still open after ${timeoutMs} ms`)), { once: true });
      this.closeWaiters.push(resolve);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      while (this.buffer.length > 0 && (this.buffer[0] === 0x0d || this.buffer[0] === 0x0a)) this.buffer = this.buffer.subarray(1);
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = /^content-length:\s*(\d+)/im.exec(this.buffer.toString('latin1', 0, headerEnd));
      const total = headerEnd + 4 + Number(length?.[1] ?? 0);
      if (this.buffer.length < total) return;
      const message = Buffer.from(this.buffer.subarray(0, total));
      this.buffer = this.buffer.subarray(total);
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.messages.push(message);
    }
  }
}

import { type Socket, createSocket } from 'node:dgram';

/** The other end of a loopback test: a plain UDP socket that queues what it receives. */
export class UdpPeer {
  private readonly received: Buffer[] = [];
  private readonly waiting: ((datagram: Buffer) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (datagram) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(datagram);
      else this.received.push(datagram);
    });
  }

  static async open(host = '127.0.0.1'): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: string | Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, host, (error) => (error ? reject(error) : resolve())));
  }

  nextDatagram(timeoutMs = 2000): Promise<Buffer> {
    const queued = this.received.shift();
    if (queued) return Promise.resolve(queued);
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise((resolve, reject) => {
      const waiter = (datagram: Buffer) => {
        signal.removeEventListener('abort', onTimeout);
        resolve(datagram);
      };
      const onTimeout = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`No datagram arrived within ${timeoutMs} ms`));
      };
      signal.addEventListener('abort', onTimeout, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Takes every datagram received and not read yet (to check what did — or did not — arrive). */
  takeQueued(): Buffer[] {
    return this.received.splice(0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

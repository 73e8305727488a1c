import type { ClusterTransport } from './cluster-bus';

/** A bus message on node:cluster's IPC channel (socket.io's cluster adapter shares the channel with its own `_sio_adapter` messages). */
export interface IpcBusMessage {
  source: 'jiesu-bus';
  channel: string;
  payload: unknown;
}

export function isIpcBusMessage(message: unknown): message is IpcBusMessage {
  return typeof message === 'object' && message !== null && (message as Partial<IpcBusMessage>).source === 'jiesu-bus' && typeof (message as IpcBusMessage).channel === 'string';
}

/** What the worker side needs of `process`: the IPC channel node:cluster opened to the primary. */
export interface IpcEndpoint {
  readonly connected?: boolean;
  send?(message: unknown, sendHandle?: undefined, options?: object, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * The workers of one node talk through their primary: a worker sends to the primary, which hands the message to
 * every other worker (relayBusMessages in primary.ts). The sender has already run its own handlers.
 */
export class IpcTransport implements ClusterTransport {
  private listener: ((message: unknown) => void) | null = null;

  constructor(
    private readonly endpoint: IpcEndpoint = process,
    private readonly onSendError: (error: Error) => void = () => undefined,
  ) {}

  /**
   * Resolves once the message is written to the primary. The primary relays it before it hands the other workers
   * any connection accepted later, so a client that got the answer to a change meets no stale worker afterwards.
   */
  send(channel: string, payload: unknown): Promise<void> | undefined {
    // While the worker is shutting down the channel may already be closed: the other workers are going too.
    if (!this.endpoint.connected || !this.endpoint.send) return undefined;
    const message: IpcBusMessage = { source: 'jiesu-bus', channel, payload };
    return new Promise((resolve) => {
      this.endpoint.send?.(message, undefined, {}, (error) => {
        if (error) this.onSendError(error);
        resolve();
      });
    });
  }

  listen(deliver: (channel: string, payload: unknown) => void): void {
    this.listener = (message) => {
      if (isIpcBusMessage(message)) deliver(message.channel, message.payload);
    };
    this.endpoint.on('message', this.listener);
  }

  close(): Promise<void> {
    if (this.listener) this.endpoint.off('message', this.listener);
    this.listener = null;
    return Promise.resolve();
  }
}

/** The primary's half: a bus message from one worker goes to all the others. */
export function relayBusMessage(
  from: { id: number },
  message: unknown,
  workers: Iterable<{ id: number; isConnected(): boolean; send(message: unknown, sendHandle: undefined, callback: (error: Error | null) => void): boolean }>,
): number {
  if (!isIpcBusMessage(message)) return 0;
  let relayed = 0;
  for (const worker of workers) {
    if (worker.id === from.id || !worker.isConnected()) continue;
    // A worker that died a moment ago: its replacement starts with fresh caches anyway.
    worker.send(message, undefined, () => undefined);
    relayed++;
  }
  return relayed;
}

import { Injectable } from '@nestjs/common';

/** A message from another process (or this one) on a cluster channel. */
export type ClusterMessageHandler = (payload: unknown) => void;

/**
 * How messages reach the other processes of the platform: the worker processes of one `npm start` (node:cluster)
 * and, with REDIS_URL, the other nodes. The default reaches nobody else (one process).
 */
export interface ClusterTransport {
  /**
   * Hands the message on. A promise, when the transport can tell, resolves once the message has left this process
   * (written to the primary's IPC channel; Redis answered the PUBLISH, i.e. queued it to every subscriber). It never
   * rejects: a transport logs its own failures.
   */
  send(channel: string, payload: unknown): void | Promise<void>;
  /** Called once; the transport calls `deliver` for every message another process sent. */
  listen(deliver: (channel: string, payload: unknown) => void): void;
  close?(): Promise<void>;
}

/**
 * Process-wide publish/subscribe for what every process must hear about — above all "this cache is stale"
 * (categories, units, deadline rules, a user's token version). `publish` runs this process's handlers at once and
 * hands the message to the transport for the others.
 */
/**
 * Delivered to this process's own handlers (never sent) when its Redis subscription comes back after it was lost:
 * messages from the other nodes may have been missed meanwhile, so whatever they would have invalidated is suspect.
 * Every cache should drop everything on it.
 */
export const CLUSTER_RESYNC_CHANNEL = 'cluster.resync';

/**
 * Delivered to this process's own handlers (never sent) each time its Redis subscription is in place, the first time
 * included: from then on it hears the other nodes' messages. What must hear every message of every node (the repeat
 * detector's window of recent orders) waits for it when REDIS_URL is set.
 */
export const CLUSTER_SUBSCRIBED_CHANNEL = 'cluster.subscribed';

/** How long `settled()` waits for messages to leave the process (Redis away: the request answers anyway). */
export const SETTLE_TIMEOUT_MS = 250;

@Injectable()
export class ClusterBus {
  private readonly handlers = new Map<string, Set<ClusterMessageHandler>>();
  private transport: ClusterTransport | null = null;
  /** Sends that have not left the process yet. */
  private readonly inFlight = new Set<Promise<void>>();

  /** Installs the transport to the other processes (the cluster module does it at start-up). */
  useTransport(transport: ClusterTransport): void {
    this.transport = transport;
    transport.listen((channel, payload) => this.deliverLocally(channel, payload));
  }

  /**
   * `options.answersWait` (default true): whether answers wait until the message has left the process (`sending`,
   * `settled`). False for news no later request depends on (the repeat detector's recorded orders, published every
   * few milliseconds after the answers): they would hold unrelated answers.
   */
  publish(channel: string, payload: unknown = null, options: { answersWait?: boolean } = {}): void {
    this.deliverLocally(channel, payload);
    const sent = this.transport?.send(channel, payload);
    if (!sent || options.answersWait === false) return;
    const tracked: Promise<void> = sent.then(
      () => void this.inFlight.delete(tracked),
      () => void this.inFlight.delete(tracked),
    );
    this.inFlight.add(tracked);
  }

  /** Whether a published message is still on its way out of this process. */
  get sending(): boolean {
    return this.inFlight.size > 0;
  }

  /**
   * Resolves when the messages published so far have left this process (at most `timeoutMs`). An HTTP answer waits
   * for it (ClusterBusSettledInterceptor): once a client has the answer to a change, the next request it sends to any
   * other process finds that process's copy already invalidated.
   */
  async settled(timeoutMs: number = SETTLE_TIMEOUT_MS): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Returns the function that unsubscribes. */
  subscribe(channel: string, handler: ClusterMessageHandler): () => void {
    const set = this.handlers.get(channel) ?? new Set<ClusterMessageHandler>();
    set.add(handler);
    this.handlers.set(channel, set);
    return () => set.delete(handler);
  }

  private deliverLocally(channel: string, payload: unknown): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(payload);
  }
}

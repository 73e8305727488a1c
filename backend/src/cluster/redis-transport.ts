import type Redis from 'ioredis';
import { CLUSTER_RESYNC_CHANNEL, CLUSTER_SUBSCRIBED_CHANNEL, type ClusterTransport } from './cluster-bus';

export { CLUSTER_RESYNC_CHANNEL };

/** A bus message on the Redis channel. */
interface RedisBusMessage {
  /** The node (one primary and its workers, or one process) that sent it. */
  node: string;
  channel: string;
  payload: unknown;
}

export interface RedisTransportLog {
  warn(message: string): void;
  log(message: string): void;
}

/**
 * The other nodes, through Redis pub/sub on one channel (`<REDIS_KEY_PREFIX>bus`). A subscribed connection can do
 * nothing else, hence two connections. Messages of this node are skipped: the sender ran its own handlers, and its
 * sibling workers heard it over IPC. Redis pub/sub keeps no history: a node that was cut off from Redis hears
 * CLUSTER_RESYNC_CHANNEL when it is back, and CLUSTER_SUBSCRIBED_CHANNEL whenever its subscription is in place.
 */
export class RedisTransport implements ClusterTransport {
  private deliver: ((channel: string, payload: unknown) => void) | null = null;
  private subscribedOnce = false;
  private unreachableLogged = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly redisChannel: string,
    private readonly nodeId: string,
    private readonly logger: RedisTransportLog,
  ) {
    for (const connection of [publisher, subscriber]) {
      // Without a listener ioredis prints every failed reconnection; one line per outage is enough.
      connection.on('error', (error: Error) => {
        if (this.unreachableLogged) return;
        this.unreachableLogged = true;
        this.logger.warn(`Redis at REDIS_URL does not answer (${error.message}): other nodes do not hear this one's cache invalidations until it does`);
      });
    }
    subscriber.on('message', (channel: string, text: string) => this.onRedisMessage(channel, text));
    subscriber.on('ready', () => void this.subscribe());
  }

  /** Resolves when Redis answered the PUBLISH: by then the message is queued to every subscribed connection. */
  send(channel: string, payload: unknown): Promise<void> {
    const message: RedisBusMessage = { node: this.nodeId, channel, payload };
    return this.publisher.publish(this.redisChannel, JSON.stringify(message)).then(
      () => undefined,
      (error: unknown) => {
        this.logger.warn(`A cluster message on ${channel} did not reach Redis: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  listen(deliver: (channel: string, payload: unknown) => void): void {
    this.deliver = deliver;
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  async close(): Promise<void> {
    this.deliver = null;
    await Promise.all([this.publisher, this.subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
  }

  /** On every (re)connection: subscribe, and after a lost connection tell this process's caches that they may be stale. */
  private async subscribe(): Promise<void> {
    if (!this.deliver) return;
    try {
      await this.subscriber.subscribe(this.redisChannel);
    } catch (error) {
      this.logger.warn(`Subscribing to ${this.redisChannel} failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.unreachableLogged) this.logger.log('Redis answers again: cluster messages flow between the nodes');
    this.unreachableLogged = false;
    if (this.subscribedOnce) this.deliver?.(CLUSTER_RESYNC_CHANNEL, null);
    this.subscribedOnce = true;
    this.deliver?.(CLUSTER_SUBSCRIBED_CHANNEL, null);
  }

  private onRedisMessage(redisChannel: string, text: string): void {
    if (redisChannel !== this.redisChannel || !this.deliver) return;
    let message: RedisBusMessage;
    try {
      message = JSON.parse(text) as RedisBusMessage;
    } catch {
      this.logger.warn(`Ignored a message on ${redisChannel} that is not JSON`);
      return;
    }
    if (typeof message?.channel !== 'string' || message.node === this.nodeId) return;
    this.deliver(message.channel, message.payload);
  }
}

import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ClusterBus, CLUSTER_SUBSCRIBED_CHANNEL } from './cluster-bus';
import { CLUSTER_RESYNC_CHANNEL, RedisTransport } from './redis-transport';
import { checkRedisForTests, TEST_REDIS_URL } from '../testing/redis-availability';

/** Resolves with the next payload `bus` hears on `channel`. */
const next = (bus: ClusterBus, channel: string) =>
  new Promise<unknown>((resolve) => {
    const unsubscribe = bus.subscribe(channel, (payload) => {
      unsubscribe();
      resolve(payload);
    });
  });

describe('the bus over Redis pub/sub (several nodes)', () => {
  let available = false;
  /** Unique per run, so runs sharing a Redis do not hear each other. */
  const channel = `jiesu-test:${randomUUID()}:bus`;
  const transports: RedisTransport[] = [];
  const logger = new Logger('RedisTransportTest');

  beforeAll(async () => {
    available = await checkRedisForTests('the Redis bus tests');
  });

  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
  });

  /** A bus of node `nodeId` on its own two connections, subscribed before it is returned. */
  async function busOf(nodeId: string): Promise<{ bus: ClusterBus; transport: RedisTransport; subscriber: Redis }> {
    const subscriber = new Redis(TEST_REDIS_URL);
    const transport = new RedisTransport(new Redis(TEST_REDIS_URL), subscriber, channel, nodeId, logger);
    transports.push(transport);
    const bus = new ClusterBus();
    // Subscribed once the transport says so (its SUBSCRIBE answered): then none of its own signals is still on its way
    // to a listener a test adds (Redis counts the connection among the channel's subscribers a moment earlier).
    const subscribed = next(bus, CLUSTER_SUBSCRIBED_CHANNEL);
    bus.useTransport(transport);
    await subscribed;
    return { bus, transport, subscriber };
  }

  const withRedis = (name: string, test: () => Promise<void>) => it(name, async () => (available ? test() : undefined));

  withRedis('reaches the other nodes once, and neither the sender nor its own node again', async () => {
    const a = await busOf('node-a');
    const b = await busOf('node-b');
    // Another worker of node a: it heard the message over IPC, so Redis must not bring it a second time.
    const aSibling = await busOf('node-a');
    const heard: unknown[] = [];
    a.bus.subscribe('cache.categories', (payload) => heard.push(['a', payload]));
    aSibling.bus.subscribe('cache.categories', (payload) => heard.push(['a-sibling', payload]));
    const atB = next(b.bus, 'cache.categories');
    a.bus.publish('cache.categories', { id: 3, name: '路灯' });
    expect(await atB).toEqual({ id: 3, name: '路灯' });
    // Redis hands each subscriber the messages in the order they were published: once b's later message reached a
    // and a's sibling, a's own message had reached them too, and was skipped.
    const atA = next(a.bus, 'cache.units');
    const atSibling = next(aSibling.bus, 'cache.units');
    b.bus.publish('cache.units', 'after');
    expect(await Promise.all([atA, atSibling])).toEqual(['after', 'after']);
    expect(heard).toEqual([['a', { id: 3, name: '路灯' }]]);
  });

  withRedis('tells this process to resync when its subscription comes back after a lost connection', async () => {
    const a = await busOf('node-c');
    const b = await busOf('node-d');
    const resynced = next(b.bus, CLUSTER_RESYNC_CHANNEL);
    // The connection drops (as when Redis restarts); ioredis reconnects on its own.
    b.subscriber.disconnect(true);
    expect(await resynced).toBeNull();
    const atB = next(b.bus, 'cache.units');
    a.bus.publish('cache.units', 'after the outage');
    expect(await atB).toBe('after the outage');
  });

  withRedis('tells this process each time its subscription is in place, the first time included (never sent to the others)', async () => {
    const other = await busOf('node-f');
    // Not connected yet (busOf counts the subscribed transports: this one joins the list once it is made).
    const subscriber = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    const transport = new RedisTransport(new Redis(TEST_REDIS_URL), subscriber, channel, 'node-e', logger);
    transports.push(transport);
    const bus = new ClusterBus();
    const heardElsewhere: unknown[] = [];
    other.bus.subscribe(CLUSTER_SUBSCRIBED_CHANNEL, (payload) => heardElsewhere.push(payload));
    const first = next(bus, CLUSTER_SUBSCRIBED_CHANNEL);
    bus.useTransport(transport);
    await subscriber.connect();
    expect(await first).toBeNull();
    const again = next(bus, CLUSTER_SUBSCRIBED_CHANNEL);
    subscriber.disconnect(true);
    expect(await again).toBeNull();
    expect(heardElsewhere).toEqual([]);
  });
});

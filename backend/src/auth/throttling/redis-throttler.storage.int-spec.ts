import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../demo-data/demo-organisation';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { checkRedisForTests, TEST_REDIS_URL } from '../../testing/redis-availability';

describe('the Redis rate-limit store', () => {
  let available = false;
  let redis: Redis;
  /** Unique per run, so runs sharing a Redis (and keys left from earlier runs) do not meet. */
  const prefix = `jiesu-test:${randomUUID()}:`;

  beforeAll(async () => {
    available = await checkRedisForTests('the Redis rate-limit tests');
    if (!available) return;
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    if (!available) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** Runs the test only when Redis answers (the skip is announced loudly in beforeAll). */
  const withRedis = (name: string, test: () => Promise<void>) => it(name, async () => (available ? test() : undefined));

  withRedis('counts parallel hits atomically: exactly `limit` pass, the rest are blocked for the block duration', async () => {
    const sut = new RedisThrottlerStorage(redis, `${prefix}a:`);
    const records = await Promise.all(Array.from({ length: 50 }, () => sut.increment('user:1', 60_000, 10, 30_000, 'api')));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(10);
    expect(records.filter((r) => !r.isBlocked).map((r) => r.totalHits).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const blocked = records.filter((r) => r.isBlocked);
    expect(blocked).toHaveLength(40);
    for (const record of blocked) {
      expect(record.timeToBlockExpire).toBeGreaterThan(0);
      expect(record.timeToBlockExpire).toBeLessThanOrEqual(30);
    }
    // The window is set once, on the first hit; the block key carries its own expiry.
    const windowMs = await redis.pttl(`${prefix}a:api:user:1`);
    expect(windowMs).toBeGreaterThan(0);
    expect(windowMs).toBeLessThanOrEqual(60_000);
    expect(await redis.pttl(`${prefix}a:api:user:1:blocked`)).toBeGreaterThan(0);
  });

  withRedis('keeps separate counts per key and per throttler', async () => {
    const sut = new RedisThrottlerStorage(redis, `${prefix}b:`);
    await sut.increment('ip:1', 60_000, 1, 60_000, 'login-ip');
    expect((await sut.increment('ip:1', 60_000, 1, 60_000, 'login-ip')).isBlocked).toBe(true);
    expect((await sut.increment('ip:2', 60_000, 1, 60_000, 'login-ip')).isBlocked).toBe(false);
    expect((await sut.increment('ip:1', 60_000, 1, 60_000, 'api')).isBlocked).toBe(false);
  });

  withRedis('lets requests through when Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    const sut = new RedisThrottlerStorage(dead, `${prefix}c:`);
    try {
      expect(await sut.increment('user:1', 60_000, 1, 60_000, 'api')).toMatchObject({ isBlocked: false });
    } finally {
      dead.disconnect();
    }
  });

  describe('behind the API, shared by two instances', () => {
    let first: TestApp | null = null;
    let second: TestApp | null = null;

    afterAll(async () => {
      await first?.close();
      await second?.close();
    });

    withRedis('a login limit reached on one instance holds on the other (429 with Retry-After)', async () => {
      const env = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `${prefix}app:`, RATE_LIMIT_LOGIN_PER_USERNAME: '2', LOGIN_MAX_FAILURES: '100' };
      first = await startTestApp('sqlite', { env });
      second = await startTestApp('sqlite', { env });
      const login = (t: TestApp) => request(t.server).post('/api/auth/login').send({ username: 'agent1', password: 'wrong' });
      expect((await login(first)).status).toBe(401);
      expect((await login(second)).status).toBe(401);
      const third = await request(first.server).post('/api/auth/login').send({ username: 'agent1', password: DEMO_PASSWORD });
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(third.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/Too many login attempts/) });
    });
  });
});

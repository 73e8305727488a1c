import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One atomic step per hit: count it, start the window on the first hit, and block the key for
 * `blockDuration` once the count passes the limit (a blocked key counts no further hits).
 * KEYS: hits, block. ARGV: ttl ms, limit, block ms. Returns hits, ms until the window ends, ms until the block ends.
 */
const INCREMENT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return { hits, redis.call('PTTL', KEYS[1]), blockTtl }
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) and tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return { hits, ttl, tonumber(ARGV[3]) }
end
return { hits, ttl, 0 }
`;

/**
 * Rate-limit counters in Redis, shared by every instance behind the load balancer (REDIS_URL).
 * When Redis does not answer, requests pass (the account lockout in the database still holds) and the
 * failure is logged: a rate limiter must not take the whole API down with it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const hitsKey = `${this.keyPrefix}${throttlerName}:${key}`;
    let reply: unknown;
    try {
      reply = await this.redis.eval(INCREMENT_SCRIPT, 2, hitsKey, `${hitsKey}:blocked`, ttl, limit, blockDuration);
    } catch (error) {
      this.logger.error(`Redis rate-limit store failed; letting the request through: ${String(error)}`);
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
    const [hits, windowMs, blockMs] = (reply as number[]).map(Number);
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(windowMs / 1000)),
      isBlocked: blockMs > 0,
      timeToBlockExpire: blockMs > 0 ? Math.max(1, Math.ceil(blockMs / 1000)) : 0,
    };
  }

  /** (Nest may call this twice: the storage is provided by this module and by ThrottlerModule.) */
  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end' || this.redis.status === 'close') return;
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => undefined);
  }
}

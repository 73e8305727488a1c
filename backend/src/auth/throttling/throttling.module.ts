import { Logger, Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthModule } from '../auth.module';
import { TokenService } from '../token.service';
import { rateLimitOptions } from './rate-limits';
import { RedisThrottlerStorage } from './redis-throttler.storage';

export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/** How long start-up waits for Redis before going on without it (requests pass unlimited until it answers). */
const REDIS_READY_TIMEOUT_MS = 5_000;

async function connectRedis(url: string): Promise<Redis> {
  // No offline queue: while Redis is away, hits fail at once (and pass) instead of piling up behind it.
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), REDIS_READY_TIMEOUT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) new Logger('RateLimits').error(`Redis at REDIS_URL does not answer: rate limits are not enforced until it does`);
  return redis;
}

/** Where the counters live: Redis when REDIS_URL is set (shared by every instance), process memory otherwise. */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<ThrottlerStorage> =>
        config.redisUrl
          ? new RedisThrottlerStorage(await connectRedis(config.redisUrl), `${config.redisKeyPrefix}throttle:`)
          : new ThrottlerStorageService(),
    },
  ],
  exports: [RATE_LIMIT_STORAGE],
})
class RateLimitStorageModule {}

/** Rate limits for the API and for logins (see rate-limits.ts); the guard is registered by AuthModule. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [AuthModule, RateLimitStorageModule],
      inject: [APP_CONFIG, TokenService, RATE_LIMIT_STORAGE],
      useFactory: (config: AppConfig, tokens: TokenService, storage: ThrottlerStorage) => ({ ...rateLimitOptions(config, tokens), storage }),
    }),
  ],
})
export class ThrottlingModule {}

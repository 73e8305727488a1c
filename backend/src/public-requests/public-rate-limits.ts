import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface PublicLimit {
  /** Part of the counter's key and of the message. */
  name: string;
  limit: number;
  windowMs: number;
  /** What the 429 says is limited, e.g. "requests from this phone number". */
  what: string;
}

/**
 * The portal's limits (issue 9). Constants for now: backend/src/config is shared, so making them settings is left to
 * its owner (see docs/operator-guide/citizen-portal.md). The whole API's per-IP limit (RATE_LIMIT_API_PER_USER) also
 * applies to these routes.
 */
export const PUBLIC_LIMITS = {
  submitPerIp: { name: 'portal-submit-ip', limit: 20, windowMs: HOUR, what: 'requests submitted from this address' },
  submitPerPhone: { name: 'portal-submit-phone', limit: 5, windowMs: HOUR, what: 'requests submitted with this phone number' },
  trackPerIp: { name: 'portal-track-ip', limit: 30, windowMs: MINUTE, what: 'progress look-ups from this address' },
  /** Every look-up of one number, whoever asks: guessing the phone of someone else's request stops here. */
  trackPerNumber: { name: 'portal-track-number', limit: 20, windowMs: HOUR, what: 'look-ups of this request number' },
  captchaPerIp: { name: 'portal-captcha-ip', limit: 60, windowMs: MINUTE, what: 'captchas fetched from this address' },
} as const satisfies Record<string, PublicLimit>;

/** 429 with Retry-After (seconds), like the rest of the API (RateLimitGuard). */
export class PublicRateLimitException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ message, code: 'RATE_LIMITED', details: { retryAfterSeconds } }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Counts hits in the application's rate-limit store (ThrottlerModule's: Redis when REDIS_URL is set, shared by every
 * instance; process memory otherwise) under keys of the portal's own.
 */
@Injectable()
export class PublicRateLimiter {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  /** Counts one hit of `subject` against the limit; 429 once it is past. */
  async hit(limit: PublicLimit, subject: string): Promise<void> {
    const record = await this.storage.increment(`${limit.name}:${subject}`, limit.windowMs, limit.limit, 0, limit.name);
    if (record.totalHits > limit.limit) {
      const retryAfter = Math.max(1, record.timeToBlockExpire || record.timeToExpire);
      throw new PublicRateLimitException(`Too many ${limit.what}: try again in ${retryAfter} seconds`, retryAfter);
    }
  }
}

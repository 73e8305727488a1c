import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { THROTTLERS } from './rate-limits';

/** ThrottlerGuard answering 429 with a plain `Retry-After` header (seconds) and a message that says what was limited. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    const what = detail.key.startsWith(`${THROTTLERS.api}:`) ? 'Too many requests' : 'Too many login attempts';
    throw new ThrottlerException(`${what}: try again in ${retryAfter} seconds`);
  }
}

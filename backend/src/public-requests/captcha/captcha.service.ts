import { BadRequestException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { resolveJwtSecret } from '../../config/jwt-secret';
import { renderCaptchaSvg } from './captcha-image';

/** How long a captcha may be answered. */
export const CAPTCHA_LIFETIME_MS = 5 * 60_000;

/** Why a captcha answer was refused: each has its own error code, so the portal can say what to do. */
export const CAPTCHA_ERROR_CODES = {
  malformed: 'CAPTCHA_INVALID',
  wrong: 'CAPTCHA_WRONG',
  expired: 'CAPTCHA_EXPIRED',
  used: 'CAPTCHA_USED',
} as const;

export interface CaptchaChallenge {
  token: string;
  /** The question drawn as an SVG data: URL. */
  image: string;
  expiresAt: Date;
}

/** What only the server (and tests) know: the answer is in no part of the token. */
export interface IssuedCaptcha extends CaptchaChallenge {
  answer: number;
}

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

/**
 * 验证码: an arithmetic question drawn as an SVG ("37 + 12 = ?"), with nothing stored when it is handed out. The token
 * is `<expiresAt ms>.<nonce>.<HMAC(answer, expiresAt, nonce)>` under a key derived from the JWT secret, so any process
 * of the cluster can check an answer. Each token is good for one try, right or wrong (an answer space of ~80 would
 * otherwise be guessed by trying them all): its nonce is counted in the rate-limit store — Redis when REDIS_URL is
 * set, so a token used on one instance is refused by every other; without Redis each process remembers its own
 * (with WORKERS=n a token could then be tried once per worker, which the per-IP and per-phone limits still bound).
 */
@Injectable()
export class CaptchaService {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly clock: Clock,
  ) {
    // A key of its own, derived from the JWT secret: a captcha token can never pass as anything else.
    this.key = createHmac('sha256', resolveJwtSecret(config)).update('jiesu/public-requests/captcha/v1').digest();
  }

  issue(): IssuedCaptcha {
    const plus = randomInt(0, 2) === 0;
    const left = plus ? randomInt(10, 50) : randomInt(20, 50);
    const right = plus ? randomInt(1, 50) : randomInt(1, 20);
    const answer = plus ? left + right : left - right;
    const expiresAt = new Date(this.clock.now().getTime() + CAPTCHA_LIFETIME_MS);
    const nonce = base64url(randomBytes(12));
    const token = `${expiresAt.getTime()}.${nonce}.${this.sign(answer, expiresAt.getTime(), nonce)}`;
    return { token, image: renderCaptchaSvg(`${left}${plus ? '+' : '-'}${right}=?`), expiresAt, answer };
  }

  /** The challenge as the portal gets it: without the answer. */
  challenge(): CaptchaChallenge {
    const { answer: _answer, ...challenge } = this.issue();
    return challenge;
  }

  /** Throws unless `answer` is right for an unexpired token that has not been tried before (the try uses it up). */
  async verify(token: string, answer: string): Promise<void> {
    const parts = token.split('.');
    const expiresAtMs = Number(parts[0]);
    if (parts.length !== 3 || !Number.isSafeInteger(expiresAtMs) || !/^[A-Za-z0-9_-]{16}$/.test(parts[1]) || !/^[A-Za-z0-9_-]{43}$/.test(parts[2])) {
      throw new BadRequestException({ message: 'The captcha token is malformed: fetch a new captcha', code: CAPTCHA_ERROR_CODES.malformed });
    }
    const [, nonce, mac] = parts;
    const now = this.clock.now().getTime();
    if (expiresAtMs <= now) throw refused('The captcha has expired (it is good for 5 minutes): answer a new one', 'expired');
    // A token that claims a life longer than any we hand out was not made here.
    if (expiresAtMs > now + CAPTCHA_LIFETIME_MS + 60_000) throw refused('The captcha is not valid: answer a new one', 'wrong');
    const remaining = expiresAtMs - now;
    const uses = await this.storage.increment(`portal-captcha:${nonce}`, remaining, 1, 0, 'portal-captcha');
    if (uses.totalHits > 1) throw refused('This captcha has been used already: answer a new one', 'used');
    const given = answer.trim();
    const right = /^-?\d{1,4}$/.test(given) && safeEqual(this.sign(Number(given), expiresAtMs, nonce), mac);
    if (!right) throw refused('The captcha answer is wrong: answer the new one', 'wrong');
  }

  private sign(answer: number, expiresAtMs: number, nonce: string): string {
    return base64url(createHmac('sha256', this.key).update(`${answer}|${expiresAtMs}|${nonce}`).digest());
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function refused(message: string, reason: 'wrong' | 'expired' | 'used'): HttpException {
  return new HttpException({ message, code: CAPTCHA_ERROR_CODES[reason], details: { captcha: reason } }, HttpStatus.UNPROCESSABLE_ENTITY);
}

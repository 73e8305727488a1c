import { type CanActivate, type ExecutionContext, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The token of an "Authorization: Bearer <token>" header, or null. */
function bearerToken(header: string | undefined): string | null {
  if (!header?.startsWith('Bearer ')) return null;
  const token = header.slice('Bearer '.length).trim();
  return token.length > 0 ? token : null;
}

/**
 * The CTI API's own credential: the shared CTI_TOKEN, sent by the SIP bridge or the PBX as
 * `Authorization: Bearer <token>` or `X-CTI-Token: <token>`. Its routes are @Public() for the login guard; this guard
 * replaces it. The comparison is of SHA-256 digests in constant time, so neither the token's length nor its prefix
 * leaks through the answer's timing.
 */
@Injectable()
export class CtiTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.cti.token === null ? null : digest(config.cti.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === null) throw new ServiceUnavailableException('CTI is not configured: set CTI_TOKEN to the secret the SIP bridge or the PBX sends');
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers['x-cti-token'];
    const given = (typeof header === 'string' && header.trim() !== '' ? header.trim() : null) ?? bearerToken(request.headers.authorization);
    if (given === null) throw new UnauthorizedException('Send the CTI token as "Authorization: Bearer <token>" or "X-CTI-Token: <token>"');
    if (!timingSafeEqual(digest(given), this.expected)) throw new UnauthorizedException('The CTI token is wrong');
    return true;
  }
}

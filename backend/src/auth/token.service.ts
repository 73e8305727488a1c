import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { resolveJwtSecret } from '../config/jwt-secret';
import type { User } from '../users/user.entity';
import type { AccessTokenPayload, RefreshTokenPayload, UnsignedPayload } from './auth-user';

/** The only algorithm tokens are signed and accepted with: no `none`, no RS/HS key confusion, no other HMAC. */
export const TOKEN_ALGORITHM = 'HS256';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Signs and verifies the JWTs. Checks against the database (token version, refresh rotation) are SessionService's and AuthService's. */
@Injectable()
export class TokenService {
  /**
   * The signing secret (the one JwtModule is configured with) as a KeyObject, made once. Given the string, jsonwebtoken
   * makes a key of it on every call — trying it as a public key first, which throws — about 0.5 ms of CPU on every
   * authenticated request; with the KeyObject a verification takes about 15 µs.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8'));
  }

  issue(user: User, refreshTokenId: string): IssuedTokens {
    const access: UnsignedPayload<AccessTokenPayload> = { sub: user.id, typ: 'access', role: user.role, unitId: user.unitId, ver: user.tokenVersion };
    const refresh: UnsignedPayload<RefreshTokenPayload> = { sub: user.id, typ: 'refresh', ver: user.tokenVersion, jti: refreshTokenId };
    return {
      accessToken: this.jwt.sign(access, { algorithm: TOKEN_ALGORITHM, expiresIn: this.config.auth.accessTokenTtlSeconds, secret: this.secret() }),
      refreshToken: this.jwt.sign(refresh, { algorithm: TOKEN_ALGORITHM, expiresIn: this.config.auth.refreshTokenTtlSeconds, secret: this.secret() }),
      expiresIn: this.config.auth.accessTokenTtlSeconds,
    };
  }

  verifyAccess(token: string): AccessTokenPayload {
    const payload = this.verify(token, 'access token');
    if (payload.typ !== 'access') throw new UnauthorizedException('This is not an access token');
    if (!isUserId(payload.sub) || !Number.isInteger(payload.ver)) throw new UnauthorizedException('The access token is invalid');
    return payload as unknown as AccessTokenPayload;
  }

  verifyRefresh(token: string): RefreshTokenPayload {
    const payload = this.verify(token, 'refresh token');
    if (payload.typ !== 'refresh') throw new UnauthorizedException('This is not a refresh token');
    if (!isUserId(payload.sub) || !Number.isInteger(payload.ver) || typeof payload.jti !== 'string' || payload.jti.length > 36) {
      throw new UnauthorizedException('The refresh token is invalid');
    }
    return payload as unknown as RefreshTokenPayload;
  }

  /** @nestjs/jwt's option types leave KeyObject out, but it hands the secret to jsonwebtoken as it is, which takes one. */
  private secret(): Buffer {
    return this.key as unknown as Buffer;
  }

  private verify(token: string, what: string): Record<string, unknown> {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token, { algorithms: [TOKEN_ALGORITHM], secret: this.secret() });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? `The ${what} has expired` : `The ${what} is invalid`);
    }
    // A token without an expiry would never expire; one without iat was not issued by us.
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
      throw new UnauthorizedException(`The ${what} is invalid: it lacks exp or iat`);
    }
    return payload;
  }
}

function isUserId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

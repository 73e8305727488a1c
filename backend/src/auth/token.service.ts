import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import type { AccessTokenPayload, RefreshTokenPayload } from './auth-user';

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issue(user: User): { accessToken: string; refreshToken: string; expiresIn: number } {
    const access: AccessTokenPayload = { sub: user.id, typ: 'access', role: user.role, unitId: user.unitId };
    const refresh: RefreshTokenPayload = { sub: user.id, typ: 'refresh', ver: user.tokenVersion };
    return {
      accessToken: this.jwt.sign(access, { expiresIn: this.config.auth.accessTokenTtlSeconds }),
      refreshToken: this.jwt.sign(refresh, { expiresIn: this.config.auth.refreshTokenTtlSeconds }),
      expiresIn: this.config.auth.accessTokenTtlSeconds,
    };
  }

  verifyAccess(token: string): AccessTokenPayload {
    const payload = this.verify(token, 'access token');
    if (payload.typ !== 'access') throw new UnauthorizedException('This is not an access token');
    return payload as AccessTokenPayload;
  }

  verifyRefresh(token: string): RefreshTokenPayload {
    const payload = this.verify(token, 'refresh token');
    if (payload.typ !== 'refresh') throw new UnauthorizedException('This is not a refresh token');
    return payload as RefreshTokenPayload;
  }

  private verify(token: string, what: string): { typ?: string } {
    try {
      return this.jwt.verify<{ typ?: string }>(token);
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? `The ${what} has expired` : `The ${what} is invalid`);
    }
  }
}

import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AccountLockedException } from '../common/exceptions';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService, UserView } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { TokenService } from './token.service';

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly transactions: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<TokenResponse> {
    const user = await this.users.findByUsername(username);
    const now = this.clock.now();
    if (!user || !user.active) {
      // Same work and answer as a wrong password, so usernames cannot be probed.
      await this.hasher.verifyAgainstDummy(password);
      throw new UnauthorizedException('Wrong username or password');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new AccountLockedException(
        `The account is locked after too many failed logins; try again after ${user.lockedUntil.toISOString()}`,
      );
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      const { failures, lock } = await this.transactions.run(async (manager) => {
        const failures = await this.users.countFailedLogin(user.id, now, manager);
        const lock = failures >= this.config.auth.loginMaxFailures;
        if (lock) await this.users.lock(user.id, new Date(now.getTime() + this.config.auth.loginLockSeconds * 1000), manager);
        return { failures, lock };
      });
      if (lock) {
        throw new AccountLockedException(
          `Wrong password ${failures} times: the account is locked for ${Math.round(this.config.auth.loginLockSeconds / 60)} minutes`,
        );
      }
      throw new UnauthorizedException('Wrong username or password');
    }
    if (user.failedLoginCount > 0 || user.lockedUntil) {
      await this.transactions.run((manager) => this.users.clearFailedLogins(user.id, manager));
    }
    return this.respond(user);
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    const payload = this.tokens.verifyRefresh(refreshToken);
    const user = await this.users.findById(payload.sub);
    if (!user || !user.active) throw new UnauthorizedException('The account no longer exists or has been deactivated');
    if (user.tokenVersion !== payload.ver) throw new UnauthorizedException('The refresh token has been revoked; log in again');
    return this.respond(user);
  }

  /** Revokes every refresh token of the caller. */
  async logout(caller: AuthUser): Promise<void> {
    await this.transactions.run((manager) => this.users.bumpTokenVersion(caller.id, manager));
  }

  private respond(user: User): TokenResponse {
    return { ...this.tokens.issue(user), user: this.usersService.toView(user) };
  }
}

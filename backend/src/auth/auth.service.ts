import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type AuditActor, type ClientInfo, NO_CLIENT } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AccountLockedException } from '../common/exceptions';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UserAccountsService } from '../users/user-accounts.service';
import { UsersService, UserView } from '../users/users.service';
import type { AuthUser } from './auth-user';
import { normaliseUsername } from './normalise-username';
import { LoginFailuresRepository, LoginFailureState, NO_FAILURES } from './login-failures.repository';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
}

type LoginOutcome = { kind: 'ok'; user: User } | { kind: 'wrong' } | { kind: 'locked'; until: Date } | { kind: 'locked-now'; failures: number };

const WRONG_CREDENTIALS = 'Wrong username or password';

/** How often (in login attempts) idle login_failures rows are swept. */
const SWEEP_EVERY_ATTEMPTS = 200;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private attemptsSinceSweep = 0;

  constructor(
    private readonly users: UserAccountsService,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly failures: LoginFailuresRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every attempt — known username or not — waits for its username's lock, then reads the failure count,
   * checks the password (against a dummy hash for unknown or inactive accounts) and stores the new count in
   * one step. So parallel guesses cannot slip past the lock, and answers and timing do not tell whether an
   * account exists. Failures and lockouts are audited in the transaction that counts them, a success in the one that
   * starts the session (the audit rows of failures name the username as typed, normalised, never the password).
   */
  async login(username: string, password: string, client: ClientInfo = NO_CLIENT): Promise<TokenResponse> {
    const { loginMaxFailures, loginLockSeconds } = this.config.auth;
    const typed = normaliseUsername(username);
    const anonymous: AuditActor = { id: null, name: typed, role: 'anonymous', correlationId: client.correlationId };
    const failed = (details: Record<string, unknown>) => (manager: EntityManager) =>
      this.audit.record(
        {
          actor: anonymous,
          action: 'auth.login-failed',
          targetType: 'username',
          targetId: typed,
          details: { username: typed, ...details, ip: client.ip, userAgent: client.userAgent },
        },
        manager,
      );
    const outcome = await this.failures.withLock(typed, async (stored, manager) => {
      const now = this.clock.now();
      if (stored.lockedUntil && stored.lockedUntil > now) {
        const alsoWrite = failed({ reason: 'locked', lockedUntil: stored.lockedUntil.toISOString() });
        return { next: stored, result: { kind: 'locked', until: stored.lockedUntil } as LoginOutcome, alsoWrite };
      }
      const current = this.decayed(stored, now);
      const user = await this.users.findByUsername(username, manager);
      let valid: boolean;
      if (user && user.active) {
        valid = await this.hasher.verify(user.passwordHash, password);
      } else {
        await this.hasher.verifyAgainstDummy(password);
        valid = false;
      }
      if (valid && user) return { next: NO_FAILURES, result: { kind: 'ok', user } as LoginOutcome };
      const failures = current.failureCount + 1;
      if (failures >= loginMaxFailures) {
        const until = new Date(now.getTime() + loginLockSeconds * 1000);
        const alsoWrite = async (lockManager: EntityManager) => {
          await failed({ reason: 'wrong-credentials', failures })(lockManager);
          await this.audit.record(
            {
              actor: anonymous,
              action: 'auth.lockout',
              targetType: 'username',
              targetId: typed,
              details: { username: typed, failures, lockedUntil: until.toISOString(), ip: client.ip, userAgent: client.userAgent },
            },
            lockManager,
          );
        };
        return { next: { failureCount: failures, lastFailureAt: now, lockedUntil: until }, result: { kind: 'locked-now', failures } as LoginOutcome, alsoWrite };
      }
      const alsoWrite = failed({ reason: 'wrong-credentials', failures });
      return { next: { failureCount: failures, lastFailureAt: now, lockedUntil: null }, result: { kind: 'wrong' } as LoginOutcome, alsoWrite };
    });
    this.sweepIdleFailuresNowAndThen();
    switch (outcome.kind) {
      case 'ok':
        return this.startSession(outcome.user, client);
      case 'wrong':
        throw new UnauthorizedException({ message: WRONG_CREDENTIALS, code: 'INVALID_CREDENTIALS' });
      case 'locked-now':
        throw new AccountLockedException(
          `Wrong password ${outcome.failures} times: the account is locked for ${Math.round(loginLockSeconds / 60)} minutes`,
        );
      case 'locked': {
        const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - this.clock.now().getTime()) / 60_000));
        throw new AccountLockedException(`The account is locked after too many failed logins; try again in ${minutes} minutes`);
      }
    }
  }

  /** Trades a refresh token for a new pair. Each refresh token works once; a second use revokes its whole family. */
  async refresh(refreshToken: string, client: ClientInfo = NO_CLIENT): Promise<TokenResponse> {
    const payload = this.tokens.verifyRefresh(refreshToken);
    const user = await this.users.findById(payload.sub);
    if (!user || !user.active) throw new UnauthorizedException('The account no longer exists or has been deactivated');
    if (user.tokenVersion !== payload.ver) throw new UnauthorizedException('The refresh token has been revoked; log in again');
    const now = this.clock.now();
    const replacementId = randomUUID();
    const use = await this.transactions.run(async (manager) => {
      const result = await this.refreshTokens.use(manager, payload.jti, replacementId, now);
      if (result.kind === 'rotated') await this.storeRefreshToken(manager, user.id, replacementId, result.familyId, now);
      if (result.kind === 'reused') {
        // Someone holds a copy of a refresh token: the family is revoked (above) and the event goes to the trail.
        await this.audit.record(
          {
            actor: this.actorOf(user, client),
            action: 'auth.refresh-reuse',
            targetType: 'user',
            targetId: user.id,
            details: { username: user.username, refreshTokenId: payload.jti, ip: client.ip, userAgent: client.userAgent },
          },
          manager,
        );
      }
      return result;
    });
    switch (use.kind) {
      case 'rotated':
        return this.respond(user, replacementId);
      case 'reused':
        this.logger.warn(`A used refresh token of user ${user.id} was presented again: every token of that login is revoked`);
        throw new UnauthorizedException('The refresh token was already used; every session of this login has been revoked, log in again');
      case 'revoked':
        throw new UnauthorizedException('The refresh token has been revoked; log in again');
      case 'expired':
        throw new UnauthorizedException('The refresh token has expired');
      case 'unknown':
        throw new UnauthorizedException('The refresh token is invalid');
    }
  }

  /** Ends every session of the caller: access and refresh tokens stop working, open sockets are closed. */
  async logout(caller: AuthUser, client: ClientInfo = NO_CLIENT): Promise<void> {
    await this.sessions.endAll(caller.id, 'logout', (manager) =>
      this.audit.record(
        {
          actor: { id: caller.id, name: caller.displayName, role: caller.role, correlationId: client.correlationId },
          action: 'auth.logout',
          targetType: 'user',
          targetId: caller.id,
          details: { username: caller.username, ip: client.ip, userAgent: client.userAgent },
        },
        manager,
      ),
    );
  }

  private async startSession(user: User, client: ClientInfo): Promise<TokenResponse> {
    const now = this.clock.now();
    const id = randomUUID();
    await this.transactions.run(async (manager) => {
      await this.refreshTokens.deleteExpiredOfUser(manager, user.id, now);
      await this.storeRefreshToken(manager, user.id, id, randomUUID(), now);
      await this.audit.record(
        {
          actor: this.actorOf(user, client),
          action: 'auth.login',
          targetType: 'user',
          targetId: user.id,
          details: { username: user.username, ip: client.ip, userAgent: client.userAgent },
        },
        manager,
      );
    });
    return this.respond(user, id);
  }

  private actorOf(user: User, client: ClientInfo): AuditActor {
    return { id: user.id, name: user.displayName, role: user.role, correlationId: client.correlationId };
  }

  private storeRefreshToken(manager: Parameters<RefreshTokensRepository['insert']>[0], userId: number, id: string, familyId: string, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000);
    return this.refreshTokens.insert(manager, { id, userId, familyId, createdAt: now, expiresAt });
  }

  private respond(user: User, refreshTokenId: string): TokenResponse {
    return { ...this.tokens.issue(user, refreshTokenId), user: this.usersService.toView(user) };
  }

  /** A served lock, or the lock duration without a failure, starts the count afresh. */
  private decayed(state: LoginFailureState, now: Date): LoginFailureState {
    const lockServed = state.lockedUntil !== null && state.lockedUntil <= now;
    const quiet = state.lastFailureAt !== null && now.getTime() - state.lastFailureAt.getTime() >= this.config.auth.loginLockSeconds * 1000;
    return lockServed || quiet ? NO_FAILURES : state;
  }

  private sweepIdleFailuresNowAndThen(): void {
    if (++this.attemptsSinceSweep < SWEEP_EVERY_ATTEMPTS) return;
    this.attemptsSinceSweep = 0;
    const idleSeconds = Math.max(this.config.auth.loginLockSeconds, this.config.rateLimits.windowSeconds);
    this.failures.deleteIdle(this.clock.now(), idleSeconds).catch((error: unknown) => this.logger.warn(`Sweeping login_failures failed: ${String(error)}`));
  }
}

import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus, type SessionsEndedEvent } from '../events/app-events';
import { UserAccountsService } from '../users/user-accounts.service';
import type { AccessTokenPayload, AuthUser } from './auth-user';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TokenService } from './token.service';

export interface AuthenticatedSession {
  user: AuthUser;
  payload: AccessTokenPayload;
}

/**
 * A session lives while its user is active and the user's token version is the one in the token. The HTTP
 * guard and the socket gateway both ask here, so logging out ends a session everywhere at once.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccountsService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly transactions: TransactionService,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
  ) {}

  /**
   * The user's state comes from the per-process session cache (UserAccountsService.sessionState): no statement per
   * request. Every change that ends sessions publishes `cache.user` once committed, so a bumped version or a
   * disabled account is refused at once here and on every other process.
   */
  async authenticate(accessToken: string): Promise<AuthenticatedSession> {
    const payload = this.tokens.verifyAccess(accessToken);
    const state = await this.users.sessionState(payload.sub);
    if (!state || !state.active) throw new UnauthorizedException('The account no longer exists or has been deactivated');
    if (state.tokenVersion !== payload.ver) {
      throw new UnauthorizedException('The session has ended (logged out or the password changed); log in again');
    }
    // A copy: the request may not change the cached caller.
    return { user: { ...state.user }, payload };
  }

  /**
   * Ends every session of the user: access tokens go stale at once, refresh tokens are revoked, sockets are closed.
   * `alsoWrite` runs in the same transaction (the audit row).
   */
  async endAll(userId: number, reason: SessionsEndedEvent['reason'], alsoWrite?: (manager: EntityManager) => Promise<unknown>): Promise<void> {
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      await this.users.bumpTokenVersion(userId, manager);
      await this.refreshTokens.revokeAllOfUser(manager, userId, now);
      await alsoWrite?.(manager);
    });
    this.users.changed(userId);
    this.events.emit('user.sessionsEnded', { userId, reason });
  }
}

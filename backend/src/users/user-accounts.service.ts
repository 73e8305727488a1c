import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS, KeyedInvalidatedCache, type UserCacheMessage } from '../cluster/invalidated-cache';
import type { Role } from './role';
import type { User } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * The users module's accounts as other modules need them: login and sessions (auth), re-checking open sockets
 * (realtime), the addressees of notifications and escalations, seeding the demo accounts. Other modules go through
 * here, never to the repository.
 */
/** What every authenticated request needs to know about its user: whether the token is still good, and who it is. */
export interface SessionState {
  tokenVersion: number;
  active: boolean;
  /** The caller as the guard puts it on the request (role, unit, mustChangePassword included). */
  user: AuthUser;
}

@Injectable()
export class UserAccountsService {
  /**
   * Session states by user id, so that the guard does not read the user on every request. Dropped on `cache.user`
   * (published after every committed change to a user: logout, password change or reset, disable, role or unit
   * change — and by UserWritesSubscriber for any write to users made through this process) and on `cache.units`
   * (the unit's name is part of the caller); no copy is older than CACHE_SAFETY_TTL_MS.
   */
  private readonly sessionStates = new KeyedInvalidatedCache<number, SessionState | null>(async (id) => {
    const user = await this.users.findById(id);
    return user ? { tokenVersion: user.tokenVersion, active: user.active, user: toAuthUser(user) } : null;
  });

  constructor(
    private readonly users: UsersRepository,
    private readonly bus: ClusterBus,
  ) {
    bus.subscribe(CACHE_CHANNELS.user, (payload) => {
      const userId = (payload as UserCacheMessage | null)?.userId;
      if (typeof userId === 'number') this.sessionStates.invalidate(userId);
      else this.sessionStates.clear();
    });
    bus.subscribe(CACHE_CHANNELS.units, () => this.sessionStates.clear());
  }

  /** The user's session state from this process's cache (null: no such user). */
  sessionState(id: number): Promise<SessionState | null> {
    return this.sessionStates.get(id);
  }

  /** Tells every process that the user changed (null: any user); call after the change committed. */
  changed(userId: number | null): void {
    this.bus.publish(CACHE_CHANNELS.user, { userId } satisfies UserCacheMessage);
  }

  findById(id: number): Promise<User | null> {
    return this.users.findById(id);
  }

  /** The account a login names (usernames compare regardless of case), read in the login's transaction. */
  findByUsername(username: string, manager?: EntityManager): Promise<User | null> {
    return this.users.findByUsername(username, manager);
  }

  findActiveById(id: number): Promise<User | null> {
    return this.users.findActiveById(id);
  }

  /** Ends every token the user holds (they carry the version). */
  bumpTokenVersion(id: number, manager: EntityManager): Promise<void> {
    return this.users.bumpTokenVersion(id, manager);
  }

  /** Token version and active flag of these users, for re-checking open sockets. */
  findSessionStates(ids: number[]): Promise<Pick<User, 'id' | 'tokenVersion' | 'active'>[]> {
    return this.users.findSessionStates(ids);
  }

  /** Username and password hash of every active account (for the production check on published passwords). */
  findActiveCredentials(): Promise<Pick<User, 'id' | 'username' | 'passwordHash'>[]> {
    return this.users.findActiveCredentials();
  }

  /** Ids of the active users of these units, only those with one of `roles` unless it is null. */
  activeIdsOfUnits(unitIds: number[], roles: readonly Role[] | null, manager?: EntityManager): Promise<number[]> {
    return this.users.activeIdsOfUnits(unitIds, roles, manager);
  }

  /** Seeding: the demo accounts in one go. */
  insertMany(users: Partial<User>[]): Promise<void> {
    return this.users.insertMany(users);
  }
}

/** The caller as the guard puts it on the request. */
export function toAuthUser(user: User): AuthUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    unitId: user.unitId,
    unitName: user.unit?.name ?? '',
    mustChangePassword: user.mustChangePassword,
  };
}

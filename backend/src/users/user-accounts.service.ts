import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from './role';
import type { User } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * The users module's accounts as other modules need them: login and sessions (auth), re-checking open sockets
 * (realtime), the addressees of notifications and escalations, seeding the demo accounts. Other modules go through
 * here, never to the repository.
 */
@Injectable()
export class UserAccountsService {
  constructor(private readonly users: UsersRepository) {}

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

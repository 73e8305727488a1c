import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { normaliseUsername } from '../auth/normalise-username';
import { containsPattern, LIKE_ESCAPE } from '../common/sql-like';
import type { Role } from './role';
import { User } from './user.entity';

export interface UserListFilter {
  role?: Role;
  unitId?: number;
  keyword?: string;
  page: number;
  pageSize: number;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: number): Promise<User | null> {
    return this.users.findOne({ where: { id }, relations: { unit: true } });
  }

  /**
   * The account of `username` as login normalises it (case and surrounding blanks ignored, on both engines: usernames
   * are unique that way). `manager`: read inside that transaction (logging in reads while holding the username's lock).
   */
  findByUsername(username: string, manager?: EntityManager): Promise<User | null> {
    const users = manager ? manager.getRepository(User) : this.users;
    return users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.unit', 'unit')
      .where('LOWER(user.username) = :normalised', { normalised: normaliseUsername(username) })
      .getOne();
  }

  /** With the unit, read inside `manager`'s transaction. */
  findByIdIn(id: number, manager: EntityManager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id }, relations: { unit: true } });
  }

  /** The account whose username equals `normalised` regardless of case (login counts usernames that way). */
  findByNormalisedUsername(normalised: string, manager: EntityManager): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('user').where('LOWER(user.username) = :normalised', { normalised }).getOne();
  }

  async insert(user: Partial<User>, manager: EntityManager): Promise<number> {
    const repository = manager.getRepository(User);
    const saved = await repository.save(repository.create(user));
    return saved.id;
  }

  async update(id: number, changes: Partial<Pick<User, 'displayName' | 'role' | 'unitId' | 'active' | 'passwordHash' | 'mustChangePassword' | 'updatedAt'>>, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, changes);
  }

  findActiveById(id: number): Promise<User | null> {
    return this.users.findOne({ where: { id, active: true }, relations: { unit: true } });
  }

  async bumpTokenVersion(id: number, manager: EntityManager): Promise<void> {
    await manager.increment(User, { id }, 'tokenVersion', 1);
  }

  /** Token version and active flag of these users, for re-checking open sockets. */
  findSessionStates(ids: number[]): Promise<Pick<User, 'id' | 'tokenVersion' | 'active'>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.users.find({ select: { id: true, tokenVersion: true, active: true }, where: { id: In(ids) } });
  }

  /** Username and password hash of every active account (for the production check on published passwords). */
  findActiveCredentials(): Promise<Pick<User, 'id' | 'username' | 'passwordHash'>[]> {
    return this.users.find({ select: { id: true, username: true, passwordHash: true }, where: { active: true }, order: { id: 'ASC' } });
  }

  /** Ids of the active users of these units, only those with one of `roles` unless it is null. */
  async activeIdsOfUnits(unitIds: number[], roles: readonly Role[] | null, manager?: EntityManager): Promise<number[]> {
    if (unitIds.length === 0 || (roles !== null && roles.length === 0)) return [];
    const rows = await (manager ? manager.getRepository(User) : this.users).find({
      select: { id: true },
      where: { unitId: In(unitIds), active: true, ...(roles === null ? {} : { role: In([...roles]) }) },
      order: { id: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  count(): Promise<number> {
    return this.users.count();
  }

  async insertMany(users: Partial<User>[]): Promise<void> {
    await this.users.save(users.map((u) => this.users.create(u)), { chunk: 100 });
  }

  list(filter: UserListFilter): Promise<[User[], number]> {
    const query = this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.unit', 'unit')
      .orderBy('user.id', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize);
    if (filter.role) query.andWhere('user.role = :role', { role: filter.role });
    if (filter.unitId) query.andWhere('user.unitId = :unitId', { unitId: filter.unitId });
    if (filter.keyword) {
      query.andWhere(`(user.username LIKE :kw ${LIKE_ESCAPE} OR user.displayName LIKE :kw ${LIKE_ESCAPE})`, {
        kw: containsPattern(filter.keyword),
      });
    }
    return query.getManyAndCount();
  }
}


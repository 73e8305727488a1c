import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username }, relations: { unit: true } });
  }

  findActiveById(id: number): Promise<User | null> {
    return this.users.findOne({ where: { id, active: true }, relations: { unit: true } });
  }

  /** Counts one more failed login in a single statement (a lock that ran out starts the count afresh); returns the count. */
  async countFailedLogin(id: number, at: Date, manager: EntityManager): Promise<number> {
    await manager
      .createQueryBuilder()
      .update(User)
      .set({
        failedLoginCount: () => 'CASE WHEN lockedUntil IS NOT NULL THEN 1 ELSE failedLoginCount + 1 END',
        lockedUntil: null,
        updatedAt: at,
      })
      .where('id = :id', { id })
      .execute();
    const user = await manager.findOneOrFail(User, { where: { id } });
    return user.failedLoginCount;
  }

  async lock(id: number, until: Date, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, { failedLoginCount: 0, lockedUntil: until, updatedAt: new Date() });
  }

  async clearFailedLogins(id: number, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, { failedLoginCount: 0, lockedUntil: null, updatedAt: new Date() });
  }

  async bumpTokenVersion(id: number, manager: EntityManager): Promise<void> {
    await manager.increment(User, { id }, 'tokenVersion', 1);
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


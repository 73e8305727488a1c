import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

  async recordFailedLogin(id: number, failedLoginCount: number, lockedUntil: Date | null): Promise<void> {
    await this.users.update({ id }, { failedLoginCount, lockedUntil, updatedAt: new Date() });
  }

  async clearFailedLogins(id: number): Promise<void> {
    await this.users.update({ id }, { failedLoginCount: 0, lockedUntil: null, updatedAt: new Date() });
  }

  async bumpTokenVersion(id: number): Promise<void> {
    await this.users.increment({ id }, 'tokenVersion', 1);
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


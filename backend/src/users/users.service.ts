import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import type { Page } from '../common/pagination';
import type { UnitType } from '../units/unit-type';
import type { Role } from './role';
import type { User } from './user.entity';
import { toAuthUser } from './user-accounts.service';
import { UserListFilter, UsersRepository } from './users.repository';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number;
  unit: { id: number; code: string; name: string; type: UnitType } | null;
  active: boolean;
  mustChangePassword: boolean;
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async findActiveAuthUser(id: number): Promise<AuthUser | null> {
    const user = await this.users.findActiveById(id);
    return user ? this.toAuthUser(user) : null;
  }

  toAuthUser(user: User): AuthUser {
    return toAuthUser(user);
  }

  async getView(id: number): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`User ${id} does not exist`);
    return this.toView(user);
  }

  toView(user: User): UserView {
    const unit = user.unit;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      unitId: user.unitId,
      unit: unit ? { id: unit.id, code: unit.code, name: unit.name, type: unit.type } : null,
      active: user.active,
      mustChangePassword: user.mustChangePassword,
    };
  }

  async list(filter: UserListFilter): Promise<Page<UserView>> {
    const [users, total] = await this.users.list(filter);
    return { items: users.map((u) => this.toView(u)), total, page: filter.page, pageSize: filter.pageSize };
  }
}

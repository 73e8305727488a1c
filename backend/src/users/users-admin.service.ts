import { BadRequestException, ConflictException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditActor, ClientInfo } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { LoginFailure } from '../auth/entities/login-failure.entity';
import { normaliseUsername } from '../auth/normalise-username';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus, type SessionsEndedEvent } from '../events/app-events';
import { isUniqueViolation } from '../database/database-errors';
import { UnitsService } from '../units/units.service';
import type { ChangePasswordDto, CreateUserDto, UpdateUserDto } from './dto/user-admin.dto';
import { oneTimePassword } from './one-time-password';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { isUnitRole, type Role } from './role';
import { UserAccountsService } from './user-accounts.service';
import { UsersRepository } from './users.repository';
import { UsersService, type UserView } from './users.service';

export const USER_TARGET_TYPE = 'user';

export interface UserWithOneTimePassword {
  user: UserView;
  oneTimePassword: string;
}

/**
 * The administrators' changes to user accounts (issue 7). New accounts and reset passwords get a one-time password
 * that must be changed at the first login. Disabling, a new role or unit and a reset end the user's sessions at once:
 * the token version moves on (the guard and refresh compare it on every use) and the open sockets are closed.
 * Each change is one transaction with its audit row; no password or hash ever goes into the audit details.
 */
@Injectable()
export class UsersAdminService {
  constructor(
    private readonly users: UsersRepository,
    private readonly views: UsersService,
    private readonly units: UnitsService,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
    private readonly accounts: UserAccountsService,
  ) {}

  async create(dto: CreateUserDto, actor: AuditActor): Promise<UserWithOneTimePassword> {
    const username = normaliseUsername(dto.username);
    const password = oneTimePassword();
    const passwordHash = await this.hasher.hash(password);
    const id = await this.transactions
      .run(async (manager) => {
        const taken = await this.users.findByNormalisedUsername(username, manager);
        if (taken) throw duplicateUsername(username, taken.id);
        await this.checkRoleFitsUnit(dto.role, dto.unitId, manager);
        const now = this.clock.now();
        const newId = await this.users.insert(
          { username, displayName: dto.displayName.trim(), role: dto.role, unitId: dto.unitId, passwordHash, active: true, mustChangePassword: true, createdAt: now, updatedAt: now },
          manager,
        );
        await this.audit.record({ actor, action: 'user.create', targetType: USER_TARGET_TYPE, targetId: newId, details: { before: null, after: await this.viewIn(newId, manager) } }, manager);
        return newId;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw duplicateUsername(username, null);
        throw error;
      });
    return { user: await this.views.getView(id), oneTimePassword: password };
  }

  async update(id: number, dto: UpdateUserDto, actor: AuditActor): Promise<UserView> {
    if (dto.displayName === undefined && dto.role === undefined && dto.unitId === undefined && dto.active === undefined) {
      throw new BadRequestException('Give at least one of displayName, role, unitId, active to change');
    }
    const outcome = await this.transactions.run(async (manager) => {
      const user = await this.users.findByIdIn(id, manager);
      if (!user) throw notFound(id);
      if (actor.id === id && dto.active === false) throw new UnprocessableException('You cannot disable your own account: ask another administrator');
      if (actor.id === id && dto.role !== undefined && dto.role !== user.role) {
        throw new UnprocessableException('You cannot change your own role: ask another administrator');
      }
      const before = this.views.toView(user);
      const role = dto.role ?? user.role;
      const unitId = dto.unitId ?? user.unitId;
      const roleChanged = role !== user.role;
      const unitChanged = unitId !== user.unitId;
      const disabling = dto.active === false && user.active;
      const enabling = dto.active === true && !user.active;
      if (roleChanged || unitChanged || enabling) await this.checkRoleFitsUnit(role, unitId, manager);
      const changes = {
        ...(dto.displayName !== undefined ? { displayName: dto.displayName.trim() } : {}),
        ...(roleChanged ? { role } : {}),
        ...(unitChanged ? { unitId } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
      };
      await this.users.update(id, { ...changes, updatedAt: this.clock.now() }, manager);
      const endSessions: SessionsEndedEvent['reason'] | null = disabling ? 'account-disabled' : roleChanged || unitChanged ? 'account-changed' : null;
      if (endSessions) await this.users.bumpTokenVersion(id, manager);
      const action = disabling ? 'user.disable' : enabling ? 'user.enable' : 'user.update';
      const after = await this.viewIn(id, manager);
      await this.audit.record({ actor, action, targetType: USER_TARGET_TYPE, targetId: id, details: { before, after } }, manager);
      return { after, endSessions };
    });
    // Committed: every process drops its cached session state of the user (name, role, unit, active, token version).
    this.accounts.changed(id);
    if (outcome.endSessions) this.events.emit('user.sessionsEnded', { userId: id, reason: outcome.endSessions });
    return outcome.after;
  }

  /** A new one-time password, answered once; the account is unlocked and every session of it ends. */
  async resetPassword(id: number, actor: AuditActor): Promise<UserWithOneTimePassword> {
    const password = oneTimePassword();
    const passwordHash = await this.hasher.hash(password);
    const user = await this.transactions.run(async (manager) => {
      const found = await this.users.findByIdIn(id, manager);
      if (!found) throw notFound(id);
      const before = this.views.toView(found);
      await this.users.update(id, { passwordHash, mustChangePassword: true, updatedAt: this.clock.now() }, manager);
      await this.users.bumpTokenVersion(id, manager);
      await manager.delete(LoginFailure, { username: normaliseUsername(found.username) });
      const after = await this.viewIn(id, manager);
      await this.audit.record({ actor, action: 'user.reset-password', targetType: USER_TARGET_TYPE, targetId: id, details: { before, after, unlocked: true, sessionsEnded: true } }, manager);
      return after;
    });
    this.accounts.changed(id);
    this.events.emit('user.sessionsEnded', { userId: id, reason: 'password-reset' });
    return { user, oneTimePassword: password };
  }

  /**
   * The caller's own new password (also how a one-time password is replaced). Every session of the caller ends,
   * this one included: the client logs in again with the new password.
   */
  async changeOwnPassword(caller: AuthUser, dto: ChangePasswordDto, actor: AuditActor, client: ClientInfo | null = null): Promise<void> {
    const problem = passwordProblem(dto.newPassword);
    if (problem) {
      throw new BadRequestException({
        message: `newPassword: ${problem}`,
        code: 'PASSWORD_POLICY',
        details: { fields: [{ field: 'newPassword', constraints: ['passwordPolicy'] }] },
      });
    }
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('The account no longer exists');
    if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword))) throw new UnprocessableException('The current password is wrong');
    if (dto.newPassword === dto.currentPassword) throw new UnprocessableException('The new password must differ from the current one');
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.transactions.run(async (manager) => {
      await this.users.update(caller.id, { passwordHash, mustChangePassword: false, updatedAt: this.clock.now() }, manager);
      await this.users.bumpTokenVersion(caller.id, manager);
      await this.audit.record(
        {
          actor,
          action: 'auth.password-change',
          targetType: USER_TARGET_TYPE,
          targetId: caller.id,
          details: { username: user.username, via: 'change-password', wasOneTime: user.mustChangePassword, sessionsEnded: true, ip: client?.ip ?? null, userAgent: client?.userAgent ?? null },
        },
        manager,
      );
    });
    this.accounts.changed(caller.id);
    this.events.emit('user.sessionsEnded', { userId: caller.id, reason: 'password-changed' });
  }

  /** Center roles belong to the center; unit roles to an active unit below it. */
  private async checkRoleFitsUnit(role: Role, unitId: number, manager: EntityManager): Promise<void> {
    const unit = await this.units.findCurrent(unitId, manager);
    if (!unit) throw new UnprocessableException(`Unit ${unitId} does not exist`, { unitId });
    const isCenter = unit.type === 'center' && unit.parentId === null;
    if (isUnitRole(role)) {
      if (isCenter) throw new UnprocessableException(`The role ${role} belongs to a handling department, not to the center: choose a unit below it`, { role, unitId });
      if (!unit.active) throw new UnprocessableException(`Unit ${unitId} (${unit.name}) is deactivated`, { role, unitId });
    } else if (!isCenter) {
      throw new UnprocessableException(`The role ${role} is a center role: its unit must be the center, not ${unit.name}`, { role, unitId });
    }
  }

  private async viewIn(id: number, manager: EntityManager): Promise<UserView> {
    const user = await this.users.findByIdIn(id, manager);
    if (!user) throw notFound(id);
    return this.views.toView(user);
  }
}

function duplicateUsername(username: string, existingId: number | null): ConflictException {
  return new ConflictException({ message: `The username ${username} is already taken${existingId === null ? '' : ` (user ${existingId})`}`, code: 'DUPLICATE' });
}

function notFound(id: number): NotFoundException {
  return new NotFoundException(`User ${id} does not exist`);
}

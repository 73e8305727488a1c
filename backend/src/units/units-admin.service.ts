import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/database-errors';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { ConflictWithDetailsException, UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import type { CreateUnitDto, UpdateUnitDto } from './dto/unit-admin.dto';
import type { UnitType } from './unit-type';
import type { Unit } from './unit.entity';
import { UnitsRepository } from './units.repository';
import { toUnitView, UnitsService, type UnitView } from './units.service';

export const UNIT_TARGET_TYPE = 'unit';

/** Unit types whose replies need the unit_admin's approval (领导审签) unless the administrator says otherwise. */
const SIGN_OFF_BY_DEFAULT: readonly UnitType[] = ['bureau', 'district'];

/**
 * The administrators' changes to the unit tree (issue 7). The tree stays a tree with the center as its single root;
 * units are never deleted, only deactivated. Each change is one transaction with its audit row; this node's cached
 * tree is reloaded after the commit, other nodes reload within UnitsService's cache time.
 */
@Injectable()
export class UnitsAdminService {
  constructor(
    private readonly units: UnitsRepository,
    private readonly tree: UnitsService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateUnitDto, actor: AuditActor): Promise<UnitView> {
    if (dto.type === 'center') throw new UnprocessableException('There is one center, the root of the tree: a new unit cannot be of type center', { type: dto.type });
    const created = await this.transactions
      .run(async (manager) => {
        const taken = await this.units.findByCode(dto.code, manager);
        if (taken) throw duplicateCode(dto.code, taken.id);
        await this.requireActiveParent(dto.parentId, manager);
        const unit = await this.units.save(
          {
            code: dto.code,
            name: dto.name.trim(),
            type: dto.type,
            parentId: dto.parentId,
            active: true,
            leaderSignOff: dto.leaderSignOff ?? SIGN_OFF_BY_DEFAULT.includes(dto.type),
          },
          manager,
        );
        await this.audit.record({ actor, action: 'unit.create', targetType: UNIT_TARGET_TYPE, targetId: unit.id, details: { before: null, after: toUnitView(unit) } }, manager);
        return unit;
      })
      .catch((error: unknown) => {
        // Two administrators creating the same code at once: the unique index decides, the loser gets the same 409.
        if (isUniqueViolation(error)) throw duplicateCode(dto.code, null);
        throw error;
      });
    await this.tree.refresh();
    return toUnitView(created);
  }

  async update(id: number, dto: UpdateUnitDto, actor: AuditActor): Promise<UnitView> {
    if (dto.name === undefined && dto.parentId === undefined && dto.active === undefined && dto.leaderSignOff === undefined) {
      throw new BadRequestException('Give at least one of name, parentId, active, leaderSignOff to change');
    }
    const updated = await this.transactions.run(async (manager) => {
      const unit = await this.units.findById(id, manager);
      if (!unit) throw new NotFoundException(`Unit ${id} does not exist`);
      const before = toUnitView(unit);
      if (dto.parentId !== undefined && dto.parentId !== unit.parentId) {
        await this.units.lockTree(manager);
        await this.checkMove(unit, dto.parentId, manager);
        unit.parentId = dto.parentId;
      }
      if (dto.active === false && unit.active) await this.checkDeactivate(unit, manager);
      if (dto.active === true && !unit.active && unit.parentId !== null && dto.parentId === undefined) {
        await this.requireActiveParent(unit.parentId, manager);
      }
      if (dto.name !== undefined) unit.name = dto.name.trim();
      if (dto.active !== undefined) unit.active = dto.active;
      if (dto.leaderSignOff !== undefined) unit.leaderSignOff = dto.leaderSignOff;
      const saved = await this.units.save(unit, manager);
      await this.audit.record({ actor, action: 'unit.update', targetType: UNIT_TARGET_TYPE, targetId: id, details: { before, after: toUnitView(saved) } }, manager);
      return saved;
    });
    await this.tree.refresh();
    return toUnitView(updated);
  }

  /** A new parent must exist and be active. */
  private async requireActiveParent(parentId: number, manager: EntityManager): Promise<Unit> {
    const parent = await this.units.findById(parentId, manager);
    if (!parent) throw new UnprocessableException(`Parent unit ${parentId} does not exist`, { parentId });
    if (!parent.active) throw new UnprocessableException(`Parent unit ${parentId} (${parent.name}) is deactivated: reactivate it first or choose another`, { parentId });
    return parent;
  }

  /** The center stays the single root and never moves; no unit goes under itself or one of its own descendants. */
  private async checkMove(unit: Unit, parentId: number, manager: EntityManager): Promise<void> {
    if (unit.parentId === null) throw new UnprocessableException(`Unit ${unit.id} (${unit.name}) is the root of the tree: it cannot be moved`, { unitId: unit.id });
    if (parentId === unit.id) throw new UnprocessableException(`Unit ${unit.id} cannot be its own parent`, { unitId: unit.id, parentId });
    await this.requireActiveParent(parentId, manager);
    // Walk up from the new parent on the database's current rows (the cache may lag behind another node's change).
    const parentOf = new Map((await this.units.findAll(manager)).map((u) => [u.id, u.parentId]));
    const seen = new Set<number>();
    for (let at: number | null = parentId; at !== null && !seen.has(at); at = parentOf.get(at) ?? null) {
      if (at === unit.id) {
        throw new UnprocessableException(`Unit ${parentId} is below unit ${unit.id} (${unit.name}): moving a unit under its own descendant would make a cycle`, {
          unitId: unit.id,
          parentId,
        });
      }
      seen.add(at);
    }
  }

  /** The center cannot be deactivated, nor a unit that still leads open work orders (they would have no one to handle them). */
  private async checkDeactivate(unit: Unit, manager: EntityManager): Promise<void> {
    if (unit.type === 'center' || unit.parentId === null) throw new UnprocessableException('The center cannot be deactivated', { unitId: unit.id });
    const open = await this.units.countOpenOrdersLedBy(unit.id, manager);
    if (open > 0) {
      throw new ConflictWithDetailsException(
        `Unit ${unit.id} (${unit.name}) still leads ${open} open work order(s): have them finished or dispatched elsewhere before deactivating it`,
        { openWorkOrders: open },
      );
    }
  }
}

function duplicateCode(code: string, existingId: number | null): ConflictException {
  return new ConflictException({ message: `The unit code ${code} is already taken${existingId === null ? '' : ` (unit ${existingId})`}`, code: 'DUPLICATE' });
}


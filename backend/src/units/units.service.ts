import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { isUnitRole } from '../users/role';
import type { UnitType } from './unit-type';
import { Unit } from './unit.entity';
import { UnitsRepository } from './units.repository';

export interface UnitView {
  id: number;
  code: string;
  name: string;
  type: UnitType;
  parentId: number | null;
  active: boolean;
  leaderSignOff: boolean;
}

export interface UnitTreeNode extends UnitView {
  children: UnitTreeNode[];
}

/**
 * How long a node trusts its copy of the unit tree. Units change rarely (admin edits): the node that made the change
 * reloads at once (refresh()), every other node within this time (docs/operator-guide.md).
 */
const CACHE_MILLISECONDS = 30_000;

interface UnitIndex {
  byId: Map<number, Unit>;
  childrenOf: Map<number | null, Unit[]>;
  loadedAt: number;
}

/** The unit tree, cached in memory: scope checks run on every request and need subtrees fast. */
@Injectable()
export class UnitsService {
  private index: Promise<UnitIndex> | null = null;

  constructor(private readonly units: UnitsRepository) {}

  /** Whether the organisation is still empty (the demo data seeds only then). */
  async hasNoUnits(): Promise<boolean> {
    return (await this.units.count()) === 0;
  }

  /** Seeding: a unit written as given (administrators create units through UnitsAdminService, with its checks). */
  async seedUnit(unit: Partial<Unit>): Promise<Unit> {
    const saved = await this.units.save(unit);
    this.invalidate();
    return saved;
  }

  invalidate(): void {
    this.index = null;
  }

  /** Drops this node's copy and loads the tree again: called after every committed change to a unit. */
  async refresh(): Promise<void> {
    this.invalidate();
    await this.load();
  }

  private async load(): Promise<UnitIndex> {
    const current = this.index ? await this.index : null;
    if (current && Date.now() - current.loadedAt < CACHE_MILLISECONDS) return current;
    this.index = this.units.findAll().then((all) => {
      const byId = new Map(all.map((u) => [u.id, u]));
      const childrenOf = new Map<number | null, Unit[]>();
      for (const unit of all) {
        const siblings = childrenOf.get(unit.parentId) ?? [];
        siblings.push(unit);
        childrenOf.set(unit.parentId, siblings);
      }
      return { byId, childrenOf, loadedAt: Date.now() };
    });
    this.index.catch(() => (this.index = null));
    return this.index;
  }

  /** The unit as the database has it now, inside `manager`'s transaction (for checks that must not trust the cache). */
  findCurrent(id: number, manager: EntityManager): Promise<Unit | null> {
    return this.units.findById(id, manager);
  }

  async find(id: number): Promise<Unit | null> {
    return (await this.load()).byId.get(id) ?? null;
  }

  /** The unit and every unit below it. */
  async subtreeIds(rootId: number): Promise<number[]> {
    const index = await this.load();
    const ids: number[] = [];
    const stack = [rootId];
    while (stack.length > 0) {
      const id = stack.pop() as number;
      ids.push(id);
      for (const child of index.childrenOf.get(id) ?? []) stack.push(child.id);
    }
    return ids;
  }

  /** The unit's ancestors, nearest first. */
  async ancestorIds(unitId: number): Promise<number[]> {
    const index = await this.load();
    const ids: number[] = [];
    let parentId = index.byId.get(unitId)?.parentId ?? null;
    while (parentId !== null && !ids.includes(parentId)) {
      ids.push(parentId);
      parentId = index.byId.get(parentId)?.parentId ?? null;
    }
    return ids;
  }

  async isStrictDescendant(unitId: number, ancestorId: number): Promise<boolean> {
    return (await this.ancestorIds(unitId)).includes(ancestorId);
  }

  /** The hotline center: the root unit of type `center`. */
  async centerUnit(): Promise<Unit | null> {
    const index = await this.load();
    return (index.childrenOf.get(null) ?? []).find((u) => u.type === 'center') ?? null;
  }

  /** Units the caller may see: everything for center staff, their own subtree for unit staff. */
  async visibleTree(caller: AuthUser): Promise<UnitTreeNode[]> {
    const index = await this.load();
    const build = (unit: Unit): UnitTreeNode => ({
      ...toUnitView(unit),
      children: (index.childrenOf.get(unit.id) ?? []).map(build),
    });
    if (isUnitRole(caller.role)) {
      const own = index.byId.get(caller.unitId);
      return own ? [build(own)] : [];
    }
    return (index.childrenOf.get(null) ?? []).map(build);
  }
}

export function toUnitView(unit: Unit): UnitView {
  return { id: unit.id, code: unit.code, name: unit.name, type: unit.type, parentId: unit.parentId, active: unit.active, leaderSignOff: unit.leaderSignOff };
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS, InvalidatedCache } from '../cluster/invalidated-cache';
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
 * How long a process trusts its copy of the unit tree without hearing of a change. Units change rarely (admin edits):
 * the change publishes `cache.units` once committed (refresh()), which every process and node hears at once; this is
 * the safety net for a message that never arrived (docs/operator-guide.md).
 */
const CACHE_MILLISECONDS = 30_000;

interface UnitIndex {
  byId: Map<number, Unit>;
  childrenOf: Map<number | null, Unit[]>;
}

/** The unit tree, cached in memory: scope checks run on every request and need subtrees fast. */
@Injectable()
export class UnitsService {
  private readonly index = new InvalidatedCache<UnitIndex>(async () => {
    const all = await this.units.findAll();
    const byId = new Map(all.map((u) => [u.id, u]));
    const childrenOf = new Map<number | null, Unit[]>();
    for (const unit of all) {
      const siblings = childrenOf.get(unit.parentId) ?? [];
      siblings.push(unit);
      childrenOf.set(unit.parentId, siblings);
    }
    return { byId, childrenOf };
  }, CACHE_MILLISECONDS);

  constructor(
    private readonly units: UnitsRepository,
    private readonly bus: ClusterBus,
  ) {
    bus.subscribe(CACHE_CHANNELS.units, () => this.invalidate());
  }

  /** Whether the organisation is still empty (the demo data seeds only then). */
  async hasNoUnits(): Promise<boolean> {
    return (await this.units.count()) === 0;
  }

  /** Seeding: a unit written as given (administrators create units through UnitsAdminService, with its checks). */
  async seedUnit(unit: Partial<Unit>): Promise<Unit> {
    const saved = await this.units.save(unit);
    this.bus.publish(CACHE_CHANNELS.units);
    return saved;
  }

  invalidate(): void {
    this.index.invalidate();
  }

  /**
   * Called after every committed change to a unit: every process drops its copy (this one loads it again now).
   * The user session cache hears it too (a user's unit name is part of the authenticated caller).
   */
  async refresh(): Promise<void> {
    this.bus.publish(CACHE_CHANNELS.units);
    await this.load();
  }

  private load(): Promise<UnitIndex> {
    return this.index.get();
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

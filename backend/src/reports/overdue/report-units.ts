import type { UnitsService } from '../../units/units.service';
import type { Unit } from '../../units/unit.entity';
import type { ReportScope } from '../report-scope';
import type { UnitRef } from '../report-views';

/** One unit of a report's scope: its reference, and every unit of its subtree (whose figures roll up into it). */
export interface ScopeUnit {
  ref: UnitRef;
  subtree: number[];
}

/**
 * The units of a report's scope in tree order (a parent before its children, siblings by id), each with its subtree:
 * the scope's root and everything below it, or for the whole center the center unit's tree. Depth 0 is the root.
 */
export async function scopeUnits(units: UnitsService, scope: ReportScope): Promise<ScopeUnit[]> {
  const root = scope.unitId !== null ? await units.find(scope.unitId) : await units.centerUnit();
  if (!root) return [];
  const ids = await units.subtreeIds(root.id);
  const members = (await Promise.all(ids.map((id) => units.find(id)))).filter((unit): unit is Unit => unit !== null);
  const childrenOf = new Map<number, Unit[]>();
  for (const unit of members) {
    if (unit.id === root.id || unit.parentId === null) continue;
    const siblings = childrenOf.get(unit.parentId) ?? [];
    siblings.push(unit);
    childrenOf.set(unit.parentId, siblings);
  }
  for (const siblings of childrenOf.values()) siblings.sort((a, b) => a.id - b.id);
  const rows: ScopeUnit[] = [];
  const visit = (unit: Unit, depth: number): number[] => {
    const row: ScopeUnit = { ref: { unitId: unit.id, unitName: unit.name, unitType: unit.type, parentId: unit.parentId, depth }, subtree: [unit.id] };
    rows.push(row);
    for (const child of childrenOf.get(unit.id) ?? []) row.subtree.push(...visit(child, depth + 1));
    return row.subtree;
  };
  visit(root, 0);
  return rows;
}

/** Sums a per-unit figure over each unit's subtree. */
export function rolledUp(unit: ScopeUnit, perUnit: ReadonlyMap<number, number>): number {
  return unit.subtree.reduce((sum, id) => sum + (perUnit.get(id) ?? 0), 0);
}

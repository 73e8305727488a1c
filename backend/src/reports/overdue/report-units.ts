import type { UnitsService, UnitTreeNode } from '../../units/units.service';
import type { AuthUser } from '../../auth/auth-user';
import type { ReportScope } from '../report-scope';
import type { UnitRef } from '../report-views';

/** One unit of a report's scope: its reference, and every unit of its subtree (whose figures roll up into it). */
export interface ScopeUnit {
  ref: UnitRef;
  subtree: number[];
}

/** Reads the whole unit tree (as center staff see it). */
const TREE_READER: AuthUser = { id: 0, username: 'system', displayName: 'system', role: 'admin', unitId: 0, unitName: '' };

/**
 * The scope's units as trees, siblings by id: the scope's root with everything below it, or for the whole center every
 * top unit (the center unit, under which the demo and real organisations hang everything). Every report walks this.
 */
export async function scopeTree(units: UnitsService, scope: ReportScope): Promise<UnitTreeNode[]> {
  const all = await units.visibleTree(TREE_READER);
  if (scope.unitId === null) return all;
  const find = (nodes: UnitTreeNode[]): UnitTreeNode | null => {
    for (const node of nodes) {
      if (node.id === scope.unitId) return node;
      const below = find(node.children);
      if (below) return below;
    }
    return null;
  };
  const root = find(all);
  return root ? [root] : [];
}

/**
 * The units of a report's scope in tree order (a parent before its children, siblings by id), each with its subtree
 * (scopeTree flattened). Depth 0 is a root.
 */
export async function scopeUnits(units: UnitsService, scope: ReportScope): Promise<ScopeUnit[]> {
  const rows: ScopeUnit[] = [];
  const visit = (unit: UnitTreeNode, depth: number): number[] => {
    const row: ScopeUnit = { ref: { unitId: unit.id, unitName: unit.name, unitType: unit.type, parentId: unit.parentId, depth }, subtree: [unit.id] };
    rows.push(row);
    for (const child of unit.children) row.subtree.push(...visit(child, depth + 1));
    return row.subtree;
  };
  for (const root of await scopeTree(units, scope)) visit(root, 0);
  return rows;
}

/** Sums a per-unit figure over each unit's subtree. */
export function rolledUp(unit: ScopeUnit, perUnit: ReadonlyMap<number, number>): number {
  return unit.subtree.reduce((sum, id) => sum + (perUnit.get(id) ?? 0), 0);
}

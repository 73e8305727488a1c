import type { CategoryTreeNode, UnitTreeNode } from '@/api/models';

/** Orders are filed under level-3 (leaf) categories only: the backend refuses any other (422). */
export const CATEGORY_LEAF_LEVEL = 3;

/** An option of the category cascader. */
export interface CategoryOption {
  [key: string]: unknown;
  value: number;
  label: string;
  code: string;
  children?: CategoryOption[];
}

/**
 * The active category tree as cascader options: only leaves can be chosen, so a branch with no active leaf below it
 * is left out rather than offered as a dead end.
 */
export function categoryOptions(tree: readonly CategoryTreeNode[]): CategoryOption[] {
  const options: CategoryOption[] = [];
  for (const node of tree) {
    if (!node.active) continue;
    if (node.level >= CATEGORY_LEAF_LEVEL) {
      options.push({ value: node.id, label: node.name, code: node.code });
      continue;
    }
    const children = categoryOptions(node.children);
    if (children.length) options.push({ value: node.id, label: node.name, code: node.code, children });
  }
  return options;
}

/** A place the order happened: a district (区) or a street office (街镇) from the unit tree. */
export interface PlaceOption {
  id: number;
  name: string;
  /** The street's district (its parent unit); null for a district. */
  districtId: number | null;
}

export interface Places {
  districts: PlaceOption[];
  streets: PlaceOption[];
}

/** The active districts and streets of the unit tree, in tree order. */
export function placesOf(tree: readonly UnitTreeNode[]): Places {
  const districts: PlaceOption[] = [];
  const streets: PlaceOption[] = [];
  const visit = (nodes: readonly UnitTreeNode[]) => {
    for (const unit of nodes) {
      if (!unit.active) continue;
      if (unit.type === 'district') districts.push({ id: unit.id, name: unit.name, districtId: null });
      if (unit.type === 'street') streets.push({ id: unit.id, name: unit.name, districtId: unit.parentId });
      visit(unit.children);
    }
  };
  visit(tree);
  const districtIds = new Set(districts.map((d) => d.id));
  // A street not directly under an active district has no district to pre-select.
  for (const street of streets) if (street.districtId !== null && !districtIds.has(street.districtId)) street.districtId = null;
  return { districts, streets };
}

/** The streets to offer: those of the chosen district, or all of them while none is chosen. */
export function streetsOf(places: Places, districtId: number | null): PlaceOption[] {
  return districtId === null ? places.streets : places.streets.filter((street) => street.districtId === districtId);
}

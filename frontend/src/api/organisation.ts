import { http } from './http';
import type { CategoryTreeNode, UnitTreeNode } from './models';

/** The unit tree (every unit the caller may pick from: the whole tree for the center, its own subtree for a unit). */
export function listUnitTree(signal?: AbortSignal): Promise<UnitTreeNode[]> {
  return http.get<UnitTreeNode[]>('/units', { signal });
}

/** The category tree (大类 › 中类 › 小类). */
export function listCategoryTree(signal?: AbortSignal): Promise<CategoryTreeNode[]> {
  return http.get<CategoryTreeNode[]>('/categories', { signal });
}

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import type { CategoryTreeNode, UnitTreeNode } from '@/api/models';

/** The unit and category trees, loaded once per session and shared by every picker (reload after an admin change). */
export const useOrganisationStore = defineStore('organisation', () => {
  const units = ref<UnitTreeNode[] | null>(null);
  const categories = ref<CategoryTreeNode[] | null>(null);
  let unitsLoading: Promise<UnitTreeNode[]> | null = null;
  let categoriesLoading: Promise<CategoryTreeNode[]> | null = null;

  async function loadUnits(force = false): Promise<UnitTreeNode[]> {
    if (units.value && !force) return units.value;
    unitsLoading ??= listUnitTree().finally(() => (unitsLoading = null));
    units.value = await unitsLoading;
    return units.value;
  }

  async function loadCategories(force = false): Promise<CategoryTreeNode[]> {
    if (categories.value && !force) return categories.value;
    categoriesLoading ??= listCategoryTree().finally(() => (categoriesLoading = null));
    categories.value = await categoriesLoading;
    return categories.value;
  }

  /** The unit with this id anywhere in the tree. */
  function findUnit(id: number | null | undefined): UnitTreeNode | null {
    if (id == null || !units.value) return null;
    const stack = [...units.value];
    while (stack.length) {
      const unit = stack.pop()!;
      if (unit.id === id) return unit;
      stack.push(...unit.children);
    }
    return null;
  }

  /** The category with this id anywhere in the tree. */
  function findCategory(id: number | null | undefined): CategoryTreeNode | null {
    if (id == null || !categories.value) return null;
    const stack = [...categories.value];
    while (stack.length) {
      const category = stack.pop()!;
      if (category.id === id) return category;
      stack.push(...category.children);
    }
    return null;
  }

  function clear(): void {
    units.value = null;
    categories.value = null;
  }

  return { units, categories, loadUnits, loadCategories, findUnit, findCategory, clear };
});

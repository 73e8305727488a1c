import { Injectable } from '@nestjs/common';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS, InvalidatedCache } from '../cluster/invalidated-cache';
import { UnprocessableException } from '../common/exceptions';
import type { RequestType } from '../work-orders/work-order.enums';
import type { Category } from './category.entity';
import { CategoriesRepository } from './categories.repository';

export const CATEGORY_LEAF_LEVEL = 3;

export interface CategoryTreeNode {
  id: number;
  code: string;
  name: string;
  level: number;
  /** Names from the root, e.g. 城乡建设/市政设施/路灯. */
  path: string;
  defaultLeadUnitId: number | null;
  defaultRequestType: RequestType | null;
  active: boolean;
  children: CategoryTreeNode[];
}

/** The category table as this process holds it: every row by id (a few hundred at most). */
interface CategoryIndex {
  all: Category[];
  byId: Map<number, Category>;
}

/**
 * The category tree, served from a per-process copy: registration checks the leaf and its ancestors and every list
 * shows paths, on every request. The copy is dropped when the tree changes (CategoriesAdminService publishes
 * `cache.categories` after commit, which reaches every process) and re-read after CACHE_SAFETY_TTL_MS at the latest.
 */
@Injectable()
export class CategoriesService {
  private readonly index = new InvalidatedCache<CategoryIndex>(async () => {
    const all = await this.categories.findAll();
    return { all, byId: new Map(all.map((c) => [c.id, c])) };
  });

  constructor(
    private readonly categories: CategoriesRepository,
    private readonly bus: ClusterBus,
  ) {
    bus.subscribe(CACHE_CHANNELS.categories, () => this.index.invalidate());
  }

  /** Seeding: a category written as given (administrators go through CategoriesAdminService, with its checks). */
  async seedCategory(category: Partial<Category>): Promise<Category> {
    const saved = await this.categories.save(category);
    this.changed();
    return saved;
  }

  /** Tells every process that the tree changed; call after the change committed. */
  changed(): void {
    this.bus.publish(CACHE_CHANNELS.categories);
  }

  async tree(): Promise<CategoryTreeNode[]> {
    const { all } = await this.index.get();
    const childrenOf = new Map<number | null, Category[]>();
    for (const c of all) childrenOf.set(c.parentId, [...(childrenOf.get(c.parentId) ?? []), c]);
    const build = (c: Category, parentPath: string): CategoryTreeNode => {
      const path = parentPath ? `${parentPath}/${c.name}` : c.name;
      return {
        id: c.id,
        code: c.code,
        name: c.name,
        level: c.level,
        path,
        defaultLeadUnitId: c.defaultLeadUnitId,
        defaultRequestType: c.defaultRequestType,
        active: c.active,
        children: (childrenOf.get(c.id) ?? []).map((child) => build(child, path)),
      };
    };
    return (childrenOf.get(null) ?? []).map((c) => build(c, ''));
  }

  /** Work orders are filed under an active leaf category whose ancestors are active too (deactivating a branch closes all of it). */
  async requireActiveLeaf(id: number): Promise<Category> {
    const { byId } = await this.index.get();
    const category = byId.get(id);
    if (!category) throw new UnprocessableException(`Category ${id} does not exist`);
    if (!category.active) throw new UnprocessableException(`Category ${id} (${category.name}) is no longer in use`);
    if (category.level !== CATEGORY_LEAF_LEVEL) {
      throw new UnprocessableException(`Category ${id} (${category.name}) is not a leaf: choose a level-3 category`);
    }
    for (let parentId = category.parentId, hops = 0; parentId !== null && hops < CATEGORY_LEAF_LEVEL; hops++) {
      const parent = byId.get(parentId);
      if (!parent) break;
      if (!parent.active) throw new UnprocessableException(`Category ${id} (${category.name}) is no longer in use: ${parent.name} above it was deactivated`);
      parentId = parent.parentId;
    }
    return category;
  }

  /** "城乡建设/市政设施/路灯" for each category id, from the cached table. */
  async pathsOf(ids: number[]): Promise<Map<number, string>> {
    const all = (await this.index.get()).byId;
    const paths = new Map<number, string>();
    for (const id of new Set(ids)) {
      const names: string[] = [];
      for (let c = all.get(id); c; c = c.parentId ? all.get(c.parentId) : undefined) names.unshift(c.name);
      paths.set(id, names.join('/'));
    }
    return paths;
  }

  /** The category and every category below it (an unknown id: itself only, which matches nothing). */
  async subtreeIds(categoryId: number): Promise<number[]> {
    const all = (await this.index.get()).all;
    if (!all.some((c) => c.id === categoryId)) return [categoryId];
    const ids = [categoryId];
    for (let i = 0; i < ids.length; i++) for (const c of all) if (c.parentId === ids[i]) ids.push(c.id);
    return ids;
  }

  /** A category by id (active or not), from the cached table. */
  async find(id: number): Promise<Category | null> {
    return (await this.index.get()).byId.get(id) ?? null;
  }

  /** The ids from the top-level category down to `id` (empty for an unknown id), from the cached table. */
  async idPathOf(id: number): Promise<number[]> {
    const all = (await this.index.get()).byId;
    const ids: number[] = [];
    for (let c = all.get(id); c; c = c.parentId ? all.get(c.parentId) : undefined) ids.unshift(c.id);
    return ids;
  }
}

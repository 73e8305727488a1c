import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { ClusterBus } from '../cluster/cluster-bus';
import { CACHE_CHANNELS } from '../cluster/invalidated-cache';
import { UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { isUniqueViolation } from '../database/database-errors';
import { UnitsService } from '../units/units.service';
import { CATEGORY_LEAF_LEVEL } from './categories.service';
import { CategoriesRepository } from './categories.repository';
import type { Category } from './category.entity';
import type { CreateCategoryDto, UpdateCategoryDto } from './dto/category-admin.dto';
import type { CategoryResponse } from './dto/category.response';

export const CATEGORY_TARGET_TYPE = 'category';

/**
 * The administrators' changes to the category tree (issue 7). Three levels; work orders are filed under level-3
 * categories, so a category keeps its level when it moves. Categories are never deleted, only deactivated: an
 * inactive category (or one below an inactive category) takes no new work orders. Every process reads the tree from its
 * cached copy (CategoriesService); each change publishes `cache.categories` once committed, so it shows at once on every
 * process and node.
 */
@Injectable()
export class CategoriesAdminService {
  constructor(
    private readonly categories: CategoriesRepository,
    private readonly units: UnitsService,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly bus: ClusterBus,
  ) {}

  async create(dto: CreateCategoryDto, actor: AuditActor): Promise<CategoryResponse> {
    const created = await this.transactions
      .run(async (manager) => {
        const taken = await this.categories.findByCode(dto.code, manager);
        if (taken) throw duplicateCode(dto.code, taken.id);
        const parent = dto.parentId == null ? null : await this.requireUsableParent(dto.parentId, manager);
        if (parent && parent.level >= CATEGORY_LEAF_LEVEL) {
          throw new UnprocessableException(`Category ${parent.id} (${parent.name}) is at level ${CATEGORY_LEAF_LEVEL}, the last: categories have three levels`, { parentId: parent.id });
        }
        if (dto.defaultLeadUnitId != null) await this.requireLeadUnit(dto.defaultLeadUnitId, manager);
        const category = await this.categories.save(
          {
            code: dto.code,
            name: dto.name.trim(),
            level: parent ? parent.level + 1 : 1,
            parentId: parent?.id ?? null,
            defaultLeadUnitId: dto.defaultLeadUnitId ?? null,
            defaultRequestType: dto.defaultRequestType ?? null,
            sortOrder: dto.sortOrder ?? 0,
            active: true,
          },
          manager,
        );
        const after = await this.view(category, manager);
        await this.audit.record({ actor, action: 'category.create', targetType: CATEGORY_TARGET_TYPE, targetId: category.id, details: { before: null, after } }, manager);
        return after;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw duplicateCode(dto.code, null);
        throw error;
      });
    this.bus.publish(CACHE_CHANNELS.categories);
    return created;
  }

  async update(id: number, dto: UpdateCategoryDto, actor: AuditActor): Promise<CategoryResponse> {
    const fields = ['name', 'parentId', 'defaultLeadUnitId', 'defaultRequestType', 'sortOrder', 'active'] as const;
    if (fields.every((field) => dto[field] === undefined)) throw new BadRequestException(`Give at least one of ${fields.join(', ')} to change`);
    const updated = await this.transactions.run(async (manager) => {
      const category = await this.categories.findById(id, manager);
      if (!category) throw new NotFoundException(`Category ${id} does not exist`);
      const before = await this.view(category, manager);
      if (dto.parentId !== undefined && dto.parentId !== category.parentId) await this.checkMove(category, dto.parentId, manager);
      if (dto.defaultLeadUnitId != null && dto.defaultLeadUnitId !== category.defaultLeadUnitId) await this.requireLeadUnit(dto.defaultLeadUnitId, manager);
      if (dto.name !== undefined) category.name = dto.name.trim();
      if (dto.parentId !== undefined) category.parentId = dto.parentId;
      if (dto.defaultLeadUnitId !== undefined) category.defaultLeadUnitId = dto.defaultLeadUnitId;
      if (dto.defaultRequestType !== undefined) category.defaultRequestType = dto.defaultRequestType;
      if (dto.sortOrder !== undefined) category.sortOrder = dto.sortOrder;
      if (dto.active !== undefined) category.active = dto.active;
      const saved = await this.categories.save(category, manager);
      const after = await this.view(saved, manager);
      await this.audit.record({ actor, action: 'category.update', targetType: CATEGORY_TARGET_TYPE, targetId: id, details: { before, after } }, manager);
      return after;
    });
    // Committed: every process drops its copy of the tree (the leaf checks of registration, paths, deadline-rule parents).
    this.bus.publish(CACHE_CHANNELS.categories);
    return updated;
  }

  private async requireUsableParent(parentId: number, manager: EntityManager): Promise<Category> {
    const parent = await this.categories.findById(parentId, manager);
    if (!parent) throw new UnprocessableException(`Parent category ${parentId} does not exist`, { parentId });
    if (!parent.active) throw new UnprocessableException(`Parent category ${parentId} (${parent.name}) is deactivated`, { parentId });
    return parent;
  }

  /** The default lead unit (主办单位) of new orders in this category: an active handling department, not the center. */
  private async requireLeadUnit(unitId: number, manager: EntityManager): Promise<void> {
    const unit = await this.units.findCurrent(unitId, manager);
    if (!unit) throw new UnprocessableException(`Unit ${unitId} does not exist`, { defaultLeadUnitId: unitId });
    if (unit.type === 'center' || unit.parentId === null) {
      throw new UnprocessableException('The center cannot be a default lead unit: choose a handling department', { defaultLeadUnitId: unitId });
    }
    if (!unit.active) throw new UnprocessableException(`Unit ${unitId} (${unit.name}) is deactivated`, { defaultLeadUnitId: unitId });
  }

  /** No cycles; and the category keeps its level, since orders are filed under level-3 categories. */
  private async checkMove(category: Category, parentId: number | null, manager: EntityManager): Promise<void> {
    if (parentId === category.id) throw new UnprocessableException(`Category ${category.id} cannot be its own parent`, { parentId });
    if (parentId !== null) {
      const parentOf = new Map((await this.categories.findAll(manager)).map((c) => [c.id, c.parentId]));
      const seen = new Set<number>();
      for (let at: number | null = parentId; at !== null && !seen.has(at); at = parentOf.get(at) ?? null) {
        if (at === category.id) {
          throw new UnprocessableException(`Category ${parentId} is below category ${category.id} (${category.name}): moving a category under its own descendant would make a cycle`, {
            parentId,
          });
        }
        seen.add(at);
      }
    }
    const parent = parentId === null ? null : await this.requireUsableParent(parentId, manager);
    const newLevel = parent ? parent.level + 1 : 1;
    if (newLevel !== category.level) {
      const wanted = category.level === 1 ? 'null (the top)' : `a category of level ${category.level - 1}`;
      throw new UnprocessableException(
        `Category ${category.id} (${category.name}) is at level ${category.level} and keeps it (work orders are filed under level-${CATEGORY_LEAF_LEVEL} categories): its parent must be ${wanted}`,
        { parentId, level: category.level },
      );
    }
  }

  private async view(category: Category, manager: EntityManager): Promise<CategoryResponse> {
    const byId = new Map((await this.categories.findAll(manager)).map((c) => [c.id, c]));
    const names: string[] = [];
    for (let c: Category | undefined = category, hops = 0; c && hops <= CATEGORY_LEAF_LEVEL; c = c.parentId === null ? undefined : byId.get(c.parentId), hops++) {
      names.unshift(c.id === category.id ? category.name : c.name);
    }
    const { id, code, name, level, parentId, defaultLeadUnitId, defaultRequestType, sortOrder, active } = category;
    return { id, code, name, level, parentId, path: names.join('/'), defaultLeadUnitId, defaultRequestType, sortOrder, active };
  }
}

function duplicateCode(code: string, existingId: number | null): ConflictException {
  return new ConflictException({ message: `The category code ${code} is already taken${existingId === null ? '' : ` (category ${existingId})`}`, code: 'DUPLICATE' });
}

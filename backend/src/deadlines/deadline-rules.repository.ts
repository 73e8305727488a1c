import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Category } from '../categories/category.entity';
import { DeadlineRule } from './deadline-rule.entity';

/** The queries of the time-limit table. Writes take the caller's transaction manager. */
@Injectable()
export class DeadlineRulesRepository {
  constructor(@InjectRepository(DeadlineRule) private readonly rules: Repository<DeadlineRule>) {}

  findAll(manager?: EntityManager): Promise<DeadlineRule[]> {
    return this.repository(manager).find({ order: { id: 'ASC' } });
  }

  findByScopeKeys(keys: string[], manager?: EntityManager): Promise<DeadlineRule[]> {
    return this.repository(manager).find({ where: { scopeKey: In(keys) } });
  }

  /** Every category's parent (a few hundred rows at most), to find an override on a category above an order's. */
  async categoryParents(manager?: EntityManager): Promise<Map<number, number | null>> {
    const rows = await (manager ?? this.rules.manager).find(Category, { select: { id: true, parentId: true } });
    return new Map(rows.map((c) => [c.id, c.parentId]));
  }

  save(rows: DeadlineRule[], manager: EntityManager): Promise<DeadlineRule[]> {
    return manager.getRepository(DeadlineRule).save(rows);
  }

  create(values: Partial<DeadlineRule>, manager: EntityManager): DeadlineRule {
    return manager.getRepository(DeadlineRule).create(values);
  }

  async delete(ids: number[], manager: EntityManager): Promise<void> {
    if (ids.length > 0) await manager.getRepository(DeadlineRule).delete({ id: In(ids) });
  }

  private repository(manager?: EntityManager): Repository<DeadlineRule> {
    return manager ? manager.getRepository(DeadlineRule) : this.rules;
  }
}

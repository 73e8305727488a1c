import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { OPEN_STATUSES } from '../work-orders/work-order.enums';
import { Unit } from './unit.entity';

@Injectable()
export class UnitsRepository {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  private repo(manager?: EntityManager): Repository<Unit> {
    return manager ? manager.getRepository(Unit) : this.units;
  }

  findAll(manager?: EntityManager): Promise<Unit[]> {
    return this.repo(manager).find({ order: { id: 'ASC' } });
  }

  findById(id: number, manager?: EntityManager): Promise<Unit | null> {
    return this.repo(manager).findOne({ where: { id } });
  }

  findByCode(code: string, manager?: EntityManager): Promise<Unit | null> {
    return this.repo(manager).findOne({ where: { code } });
  }

  /** The root units (there is one: the center). */
  findRoots(manager?: EntityManager): Promise<Unit[]> {
    return this.repo(manager).find({ where: { parentId: IsNull() }, order: { id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.units.count();
  }

  save(unit: Partial<Unit>, manager?: EntityManager): Promise<Unit> {
    const repository = this.repo(manager);
    return repository.save(repository.create(unit));
  }

  /**
   * Serialises changes to the shape of the tree on MySQL/MariaDB (two parallel moves could otherwise close a cycle):
   * locks the root rows until the transaction ends. SQLite runs one transaction at a time anyway.
   */
  async lockTree(manager: EntityManager): Promise<void> {
    const type = manager.connection.options.type;
    if (type !== 'mysql' && type !== 'mariadb') return;
    await manager.query('SELECT `id` FROM `units` WHERE `parentId` IS NULL FOR UPDATE');
  }

  /** How many work orders this unit leads that are not closed, merged or cancelled (read-only look at work_orders). */
  countOpenOrdersLedBy(unitId: number, manager: EntityManager): Promise<number> {
    return manager.getRepository(WorkOrder).count({ where: { leadUnitId: unitId, status: In([...OPEN_STATUSES]) } });
  }
}

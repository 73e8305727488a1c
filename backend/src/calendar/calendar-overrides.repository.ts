import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, EntityManager, Repository } from 'typeorm';
import { CalendarOverrideEntity } from './calendar-override.entity';

/** The queries of the override table. Writes take the caller's transaction manager. */
@Injectable()
export class CalendarOverridesRepository {
  constructor(@InjectRepository(CalendarOverrideEntity) private readonly overrides: Repository<CalendarOverrideEntity>) {}

  /** The whole table (a few dozen rows a year), for the in-memory calendar. */
  findAll(): Promise<CalendarOverrideEntity[]> {
    return this.overrides.find({ order: { date: 'ASC' } });
  }

  /** 'YYYY-MM-DD' text compares in date order on both engines. */
  findByYear(year: number): Promise<CalendarOverrideEntity[]> {
    return this.overrides.find({ where: { date: Between(`${year}-01-01`, `${year}-12-31`) }, order: { date: 'ASC' } });
  }

  findById(id: number, manager?: EntityManager): Promise<CalendarOverrideEntity | null> {
    return this.repository(manager).findOne({ where: { id } });
  }

  findByDate(date: string, manager: EntityManager): Promise<CalendarOverrideEntity | null> {
    return manager.getRepository(CalendarOverrideEntity).findOne({ where: { date } });
  }

  save(override: CalendarOverrideEntity, manager: EntityManager): Promise<CalendarOverrideEntity> {
    return manager.getRepository(CalendarOverrideEntity).save(override);
  }

  create(values: Omit<CalendarOverrideEntity, 'id' | 'createdAt' | 'updatedAt'>, manager: EntityManager): Promise<CalendarOverrideEntity> {
    const repository = manager.getRepository(CalendarOverrideEntity);
    return repository.save(repository.create(values));
  }

  async delete(id: number, manager: EntityManager): Promise<void> {
    await manager.getRepository(CalendarOverrideEntity).delete({ id });
  }

  private repository(manager?: EntityManager): Repository<CalendarOverrideEntity> {
    return manager ? manager.getRepository(CalendarOverrideEntity) : this.overrides;
  }
}

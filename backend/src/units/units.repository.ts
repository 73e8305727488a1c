import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Unit } from './unit.entity';

@Injectable()
export class UnitsRepository {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  findAll(): Promise<Unit[]> {
    return this.units.find({ order: { id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.units.count();
  }

  save(unit: Partial<Unit>): Promise<Unit> {
    return this.units.save(this.units.create(unit));
  }
}

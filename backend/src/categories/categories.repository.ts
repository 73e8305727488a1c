import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Category } from './category.entity';

@Injectable()
export class CategoriesRepository {
  constructor(@InjectRepository(Category) private readonly categories: Repository<Category>) {}

  private repo(manager?: EntityManager): Repository<Category> {
    return manager ? manager.getRepository(Category) : this.categories;
  }

  findAll(manager?: EntityManager): Promise<Category[]> {
    return this.repo(manager).find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  findById(id: number, manager?: EntityManager): Promise<Category | null> {
    return this.repo(manager).findOne({ where: { id } });
  }

  findByCode(code: string, manager?: EntityManager): Promise<Category | null> {
    return this.repo(manager).findOne({ where: { code } });
  }

  save(category: Partial<Category>, manager?: EntityManager): Promise<Category> {
    const repository = this.repo(manager);
    return repository.save(repository.create(category));
  }
}

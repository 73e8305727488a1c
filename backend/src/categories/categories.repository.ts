import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Category } from './category.entity';

@Injectable()
export class CategoriesRepository {
  constructor(@InjectRepository(Category) private readonly categories: Repository<Category>) {}

  findAll(): Promise<Category[]> {
    return this.categories.find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  findById(id: number): Promise<Category | null> {
    return this.categories.findOne({ where: { id } });
  }

  save(category: Partial<Category>): Promise<Category> {
    return this.categories.save(this.categories.create(category));
  }
}

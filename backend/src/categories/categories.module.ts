import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CategoriesAdminService } from './categories-admin.service';
import { CategoriesController } from './categories.controller';
import { CategoriesRepository } from './categories.repository';
import { CategoriesService } from './categories.service';
import { Category } from './category.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Category]), AuditModule],
  controllers: [CategoriesController],
  providers: [CategoriesRepository, CategoriesService, CategoriesAdminService],
  exports: [CategoriesRepository, CategoriesService],
})
export class CategoriesModule {}

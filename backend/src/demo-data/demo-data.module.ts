import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { CtiModule } from '../cti/cti.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { UsersModule } from '../users/users.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { DemoDataService } from './demo-data.service';

@Module({ imports: [UsersModule, CategoriesModule, WorkOrdersModule, KnowledgeModule, CtiModule], providers: [DemoDataService], exports: [DemoDataService] })
export class DemoDataModule {}

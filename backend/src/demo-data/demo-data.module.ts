import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { UsersModule } from '../users/users.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { DemoDataService } from './demo-data.service';

@Module({ imports: [UsersModule, CategoriesModule, WorkOrdersModule], providers: [DemoDataService], exports: [DemoDataService] })
export class DemoDataModule {}

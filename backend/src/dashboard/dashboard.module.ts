import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CategoriesModule } from '../categories/categories.module';
import { UnitsModule } from '../units/units.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

/** 督办看板: GET /api/dashboard, the supervisor's figures (read-only counts over work_orders). */
@Module({
  imports: [UnitsModule, CategoriesModule, CalendarModule],
  controllers: [DashboardController],
  providers: [DashboardService, DashboardRepository],
})
export class DashboardModule {}

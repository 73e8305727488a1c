import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CalendarModule } from '../calendar/calendar.module';
import { DeadlinePolicy } from './deadline-policy';
import { DeadlineRule } from './deadline-rule.entity';
import { DeadlineRulesController } from './deadline-rules.controller';
import { DeadlineRulesRepository } from './deadline-rules.repository';
import { DeadlineRulesService } from './deadline-rules.service';

/** The time-limit rules (/api/deadline-rules) and DeadlinePolicy, which turns them into an order's deadlines. */
@Module({
  imports: [TypeOrmModule.forFeature([DeadlineRule]), CalendarModule, AuditModule],
  controllers: [DeadlineRulesController],
  providers: [DeadlineRulesRepository, DeadlineRulesService, DeadlinePolicy],
  exports: [DeadlinePolicy, DeadlineRulesService],
})
export class DeadlinesModule {}

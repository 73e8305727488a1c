import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CalendarController } from './calendar.controller';
import { CalendarOverrideEntity } from './calendar-override.entity';
import { CalendarOverridesRepository } from './calendar-overrides.repository';
import { CalendarOverridesService } from './calendar-overrides.service';
import { CalendarService } from './calendar.service';
import { WorkingCalendarService } from './working-calendar.service';

/**
 * China's working calendar as a feature: the API (/api/calendar/…) and WorkingCalendarService, the process's one
 * configured calendar that deadline code uses (`await workingCalendar.current()`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([CalendarOverrideEntity]), AuditModule],
  controllers: [CalendarController],
  providers: [CalendarOverridesRepository, WorkingCalendarService, CalendarService, CalendarOverridesService],
  exports: [WorkingCalendarService],
})
export class CalendarModule {}

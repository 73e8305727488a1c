import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { UnitsModule } from '../units/units.module';
import { AssessmentService } from './assessment/assessment.service';
import { BulletinScheduleService } from './bulletins/bulletin-schedule.service';
import { BulletinsController } from './bulletins/bulletins.controller';
import { BulletinsRepository } from './bulletins/bulletins.repository';
import { BulletinsService } from './bulletins/bulletins.service';
import { CallsReportRepository } from './calls/calls-report.repository';
import { CallsReportService } from './calls/calls-report.service';
import { BulletinPdfService } from './export/pdf/bulletin-pdf.service';
import { ReportWorkbooksService } from './export/xlsx/report-workbooks.service';
import { OverdueReportRepository } from './overdue/overdue-report.repository';
import { OverdueReportService } from './overdue/overdue-report.service';
import { ReportScopeService } from './report-scope';
import { ReportsController } from './reports.controller';
import { RepeatsReportRepository } from './repeats-report/repeats-report.repository';
import { RepeatsReportService } from './repeats-report/repeats-report.service';
import { ShirkingReportRepository } from './shirking-report/shirking-report.repository';
import { ShirkingReportService } from './shirking-report/shirking-report.service';
import { StatisticsRepository } from './statistics/statistics.repository';
import { StatisticsService } from './statistics/statistics.service';
import { VolumeRepository } from './volume/volume.repository';
import { VolumeService } from './volume/volume.service';

/**
 * 考核与通报: the assessment of units (三率 …), the overdue, shirking, repeats and calls reports, their Excel exports,
 * the monthly bulletin (PDF, generated and stored), over daily statistics kept in step with the orders (docs/reports.md).
 */
@Module({
  imports: [UnitsModule, CalendarModule],
  controllers: [ReportsController, BulletinsController],
  providers: [
    ReportScopeService,
    StatisticsService,
    StatisticsRepository,
    AssessmentService,
    OverdueReportService,
    OverdueReportRepository,
    ShirkingReportService,
    ShirkingReportRepository,
    RepeatsReportService,
    RepeatsReportRepository,
    CallsReportService,
    CallsReportRepository,
    VolumeService,
    VolumeRepository,
    ReportWorkbooksService,
    BulletinPdfService,
    BulletinsRepository,
    BulletinsService,
    BulletinScheduleService,
  ],
  exports: [StatisticsService],
})
export class ReportsModule {}

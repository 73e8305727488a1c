import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { UnitsService } from '../../../units/units.service';
import { AssessmentService } from '../../assessment/assessment.service';
import { CallsReportService } from '../../calls/calls-report.service';
import { OverdueReportService } from '../../overdue/overdue-report.service';
import type { ReportPeriod } from '../../report-period';
import type { ReportScope } from '../../report-scope';
import { RepeatsReportService } from '../../repeats-report/repeats-report.service';
import { ShirkingReportService } from '../../shirking-report/shirking-report.service';
import { VolumeService } from '../../volume/volume.service';
import { bulletinDocument, type BulletinData } from './bulletin-document';
import { findCjkFonts } from './cjk-font';

/** Used on the title page when the organisation has no center unit yet. */
const FALLBACK_CENTER_NAME = '12345市民服务热线中心';

/**
 * The bulletin (月通报) of a period as a PDF: gathers the reports from their services and hands them to the
 * renderer (bulletin-document.ts). The font is looked up first, so a machine without it fails fast with
 * CjkFontMissingError (answered 503) before any report is computed.
 */
@Injectable()
export class BulletinPdfService {
  constructor(
    private readonly assessment: AssessmentService,
    private readonly volume: VolumeService,
    private readonly overdue: OverdueReportService,
    private readonly shirking: ShirkingReportService,
    private readonly repeats: RepeatsReportService,
    private readonly calls: CallsReportService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async render(period: ReportPeriod, scope: ReportScope): Promise<Buffer> {
    const fonts = findCjkFonts(this.config.reports.bulletinFont);
    return bulletinDocument(await this.data(period, scope), { fonts });
  }

  /** The figures of the bulletin; one report at a time, so the database is not asked six heavy questions at once. */
  async data(period: ReportPeriod, scope: ReportScope): Promise<BulletinData> {
    const center = await this.units.centerUnit();
    const scopeUnit = scope.unitId === null ? null : await this.units.find(scope.unitId);
    return {
      centerName: scopeUnit?.name ?? center?.name ?? FALLBACK_CENTER_NAME,
      period,
      generatedAt: this.clock.now().toISOString(),
      timeZone: this.config.centerTimeZone,
      assessment: await this.assessment.assessment(period, scope),
      volume: await this.volume.summary(period, scope),
      overdue: await this.overdue.report(period, scope),
      shirking: await this.shirking.report(period, scope),
      repeats: await this.repeats.report(period, scope),
      calls: await this.calls.report(period),
    };
  }
}

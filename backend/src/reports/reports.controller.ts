import { Controller, Get, Query, Res, StreamableFile, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { AssessmentService } from './assessment/assessment.service';
import { CallsReportService } from './calls/calls-report.service';
import { periodOfQuery } from './dto/report-query-period';
import { AssessmentQueryDto, ReportQueryDto, type ReportPeriodQueryDto } from './dto/report-query.dto';
import { AssessmentReportResponse, CallsReportResponse, OverdueReportResponse, RepeatsReportResponse, ShirkingReportResponse } from './dto/report.response';
import { BulletinPdfService } from './export/pdf/bulletin-pdf.service';
import { ReportWorkbooksService, type ReportForWorkbook } from './export/xlsx/report-workbooks.service';
import { OverdueReportService } from './overdue/overdue-report.service';
import type { ReportPeriod } from './report-period';
import { REPORT_ROLES, ReportScopeService, type ReportScope } from './report-scope';
import type { ReportName } from './report-views';
import { RepeatsReportService } from './repeats-report/repeats-report.service';
import { ShirkingReportService } from './shirking-report/shirking-report.service';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF_TYPE = 'application/pdf';

/** File names of the downloads: Chinese (filename*) and an ASCII stand-in (filename) for clients without RFC 5987. */
const FILE_NAMES: Record<ReportName | 'bulletin', { chinese: string; ascii: string }> = {
  assessment: { chinese: '考核排名', ascii: 'assessment' },
  overdue: { chinese: '超期工单', ascii: 'overdue' },
  shirking: { chinese: '推诿扯皮', ascii: 'shirking' },
  repeats: { chinese: '重复件与多人反映', ascii: 'repeats' },
  calls: { chinese: '话务情况', ascii: 'calls' },
  bulletin: { chinese: '月度通报', ascii: 'bulletin' },
};

const PERIOD_HELP =
  'The period: `from` and `to` (YYYY-MM-DD, the center’s days, both included, at most 366 days), or `month=YYYY-MM`, or `quarter=YYYY-Qn` — exactly one way. Center staff get the whole center, or the subtree of `unitId`; a unit_admin its own subtree (another unit: 404). Definitions: docs/report-definitions.md.';

/** The report's JSON, or its workbook (or for the assessment the bulletin PDF): documented as alternative media types. */
function reportContent(model: Type<unknown>, pdf: boolean) {
  const binary = { schema: { type: 'string', format: 'binary' } };
  return { 'application/json': { schema: { $ref: getSchemaPath(model) } }, [XLSX_TYPE]: binary, ...(pdf ? { [PDF_TYPE]: binary } : {}) };
}

const DOWNLOAD_HEADERS = {
  'Content-Disposition': { description: "For xlsx/pdf: attachment; filename=\"<ascii>\"; filename*=UTF-8''<the Chinese file name, percent-encoded>", schema: { type: 'string' } },
};

/**
 * GET /api/reports/*: the assessment (考核), overdue (超期), shirking (推诿扯皮), repeats (重复件与多人反映) and calls (话务)
 * reports of a period, as JSON or an Excel workbook; the assessment also as the bulletin PDF.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiExtraModels(AssessmentReportResponse, OverdueReportResponse, ShirkingReportResponse, RepeatsReportResponse, CallsReportResponse)
@ApiErrorResponses(400, 401, 403, 404, 503)
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly scopes: ReportScopeService,
    private readonly assessments: AssessmentService,
    private readonly overdue: OverdueReportService,
    private readonly shirking: ShirkingReportService,
    private readonly repeats: RepeatsReportService,
    private readonly calls: CallsReportService,
    private readonly workbooks: ReportWorkbooksService,
    private readonly bulletins: BulletinPdfService,
  ) {}

  @Get('assessment')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: '考核: every unit’s figures (三率, on time, overdue, returns, reopens, repeats …), score and rank with the change from the previous period', description: `${PERIOD_HELP} format=pdf: the bulletin (月通报) of the period.` })
  @ApiOkResponse({ description: 'The assessment (JSON), its workbook (xlsx) or the bulletin (pdf)', content: reportContent(AssessmentReportResponse, true), headers: DOWNLOAD_HEADERS })
  async assessment(@CurrentUser() caller: AuthUser, @Query() query: AssessmentQueryDto, @Res({ passthrough: true }) response: Response) {
    const { period, scope } = await this.resolve(caller, query);
    if (query.format === 'pdf') return download(response, 'bulletin', period, PDF_TYPE, await this.bulletins.render(period, scope));
    return this.answer(response, query.format, period, { name: 'assessment', report: await this.assessments.assessment(period, scope) });
  }

  @Get('overdue')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: '超期: orders overdue and unreplied at the period’s end, and replied late in it, per unit with working days late and supervisions', description: PERIOD_HELP })
  @ApiOkResponse({ description: 'The overdue report (JSON) or its workbook (xlsx)', content: reportContent(OverdueReportResponse, false), headers: DOWNLOAD_HEADERS })
  async overdueReport(@CurrentUser() caller: AuthUser, @Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    const { period, scope } = await this.resolve(caller, query);
    return this.answer(response, query.format, period, { name: 'overdue', report: await this.overdue.report(period, scope) });
  }

  @Get('shirking')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: '推诿扯皮: units by return rate, bounces, failed callbacks, flags by rule, disputes and rulings, the most returned orders', description: PERIOD_HELP })
  @ApiOkResponse({ description: 'The shirking report (JSON) or its workbook (xlsx)', content: reportContent(ShirkingReportResponse, false), headers: DOWNLOAD_HEADERS })
  async shirkingReport(@CurrentUser() caller: AuthUser, @Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    const { period, scope } = await this.resolve(caller, query);
    return this.answer(response, query.format, period, { name: 'shirking', report: await this.shirking.report(period, scope) });
  }

  @Get('repeats')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: '重复件与多人反映: repeat complaints per unit, and the hotspots of the period', description: PERIOD_HELP })
  @ApiOkResponse({ description: 'The repeats report (JSON) or its workbook (xlsx)', content: reportContent(RepeatsReportResponse, false), headers: DOWNLOAD_HEADERS })
  async repeatsReport(@CurrentUser() caller: AuthUser, @Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    const { period, scope } = await this.resolve(caller, query);
    return this.answer(response, query.format, period, { name: 'repeats', report: await this.repeats.report(period, scope) });
  }

  @Get('calls')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: '话务: calls, answered, answered within 15 s, abandoned — "no data yet" (dataAvailable false) until telephony records calls', description: `${PERIOD_HELP} The calls are the center’s: unitId is checked but does not narrow them.` })
  @ApiOkResponse({ description: 'The calls report (JSON) or its workbook (xlsx)', content: reportContent(CallsReportResponse, false), headers: DOWNLOAD_HEADERS })
  async callsReport(@CurrentUser() caller: AuthUser, @Query() query: ReportQueryDto, @Res({ passthrough: true }) response: Response) {
    const { period } = await this.resolve(caller, query);
    return this.answer(response, query.format, period, { name: 'calls', report: await this.calls.report(period) });
  }

  /** The period (400 when it is not one) and the scope (404 for a unit outside the caller's). */
  private async resolve(caller: AuthUser, query: ReportPeriodQueryDto): Promise<{ period: ReportPeriod; scope: ReportScope }> {
    const period = periodOfQuery(query);
    return { period, scope: await this.scopes.resolve(caller, query.unitId) };
  }

  private async answer(response: Response, format: 'json' | 'xlsx' | 'pdf' | undefined, period: ReportPeriod, input: ReportForWorkbook) {
    if (format !== 'xlsx') return input.report;
    return download(response, input.name, period, XLSX_TYPE, await this.workbooks.workbook(input));
  }
}

/** A file answer: its type, and a name with the period that every browser saves under (ASCII and RFC 5987 UTF-8). */
function download(response: Response, name: ReportName | 'bulletin', period: ReportPeriod, type: string, content: Buffer): StreamableFile {
  const extension = type === PDF_TYPE ? 'pdf' : 'xlsx';
  const names = FILE_NAMES[name];
  const suffix = `_${period.from}_${period.to}.${extension}`;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Disposition', `attachment; filename="${names.ascii}${suffix}"; filename*=UTF-8''${encodeURIComponent(`${names.chinese}${suffix}`)}`);
  return new StreamableFile(content, { length: content.length });
}

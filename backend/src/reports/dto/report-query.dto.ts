import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';

/** What every report takes: the period (one way of three), and the unit whose subtree it covers. */
export class ReportPeriodQueryDto {
  @ApiPropertyOptional({ format: 'date', example: '2026-11-01', description: 'First day (center time, included); with `to`. Or give `month` or `quarter` instead' })
  @IsOptional()
  @IsString({ message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-30', description: 'Last day (included), at most 366 days after `from`' })
  @IsOptional()
  @IsString({ message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ example: '2026-11', pattern: '^\\d{4}-\\d{2}$', description: 'A calendar month YYYY-MM (instead of from and to)' })
  @IsOptional()
  @IsString({ message: 'month must be YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ example: '2026-Q4', pattern: '^\\d{4}-Q[1-4]$', description: 'A quarter YYYY-Qn (instead of from and to)' })
  @IsOptional()
  @IsString({ message: 'quarter must be YYYY-Q1 … YYYY-Q4' })
  quarter?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only this unit and the units below it (unit staff: within their own subtree, else 404). Default: the caller’s scope' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'unitId must be a whole number' })
  unitId?: number;
}

export const REPORT_FORMATS = ['json', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const ASSESSMENT_FORMATS = ['json', 'xlsx', 'pdf'] as const;
export type AssessmentFormat = (typeof ASSESSMENT_FORMATS)[number];

/** GET /api/reports/overdue | shirking | repeats | calls */
export class ReportQueryDto extends ReportPeriodQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: 'json (default) or xlsx (an Excel workbook). A PDF exists only of the assessment (the monthly bulletin)' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: 'format must be json or xlsx (a PDF exists only of the assessment: GET /api/reports/assessment?format=pdf, the monthly bulletin)' })
  format?: ReportFormat;
}

/** GET /api/reports/assessment */
export class AssessmentQueryDto extends ReportPeriodQueryDto {
  @ApiPropertyOptional({ enum: ASSESSMENT_FORMATS, default: 'json', description: 'json (default), xlsx (an Excel workbook) or pdf (the bulletin, 月通报, of the period)' })
  @IsOptional()
  @IsIn(ASSESSMENT_FORMATS, { message: 'format must be json, xlsx or pdf' })
  format?: AssessmentFormat;
}

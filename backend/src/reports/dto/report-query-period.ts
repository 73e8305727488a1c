import { BadRequestException } from '@nestjs/common';
import { monthPeriod, quarterPeriod, reportPeriod, ReportPeriodError, type ReportPeriod } from '../report-period';
import type { ReportPeriodQueryDto } from './report-query.dto';

const WAYS = 'from and to (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn';

/**
 * The period a report query names, exactly one way: `from` and `to`, or `month`, or `quarter`. Anything else — none,
 * two ways, half a range, a date that does not exist, `to` before `from`, more than 366 days — is a 400 saying why.
 */
export function periodOfQuery(query: ReportPeriodQueryDto): ReportPeriod {
  const range = query.from !== undefined || query.to !== undefined;
  const given = [range ? 'from/to' : null, query.month !== undefined ? 'month' : null, query.quarter !== undefined ? 'quarter' : null].filter((way): way is string => way !== null);
  if (given.length === 0) throw new BadRequestException(`Give the report's period: ${WAYS}`);
  if (given.length > 1) throw new BadRequestException(`Give the period one way only (${WAYS}); got ${given.join(' and ')}`);
  try {
    if (query.month !== undefined) return monthPeriod(query.month);
    if (query.quarter !== undefined) return quarterPeriod(query.quarter);
    if (query.from === undefined || query.to === undefined) throw new ReportPeriodError(`from and to go together: give both (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn`);
    return reportPeriod(query.from, query.to);
  } catch (error) {
    if (error instanceof ReportPeriodError) throw new BadRequestException(error.message);
    throw error;
  }
}

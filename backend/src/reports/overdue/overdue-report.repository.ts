import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { OPEN_STATUSES } from '../../work-orders/work-order.enums';
import type { ReportScope } from '../report-scope';
import { rowBoolean, rowDate, rowNumber, runReportStatement, scopeCondition, scopeParams } from './report-sql';

/** The order columns the overdue report reads. */
export interface OverdueCandidate {
  id: number;
  number: string;
  title: string;
  leadUnitId: number;
  status: string;
  replyDueAt: Date;
  repliedAt: Date | null;
  replyLateMinutes: number | null;
  supervised: boolean;
}

interface CandidateRow {
  id: number | string;
  number: string;
  title: string;
  leadUnitId: number | string;
  status: string;
  replyDueAt: Date | string;
  repliedAt: Date | string | null;
  replyLateMinutes: number | string | null;
  supervised: number | string | boolean | null;
}

const COLUMNS = 'wo.id, wo.number, wo.title, wo.leadUnitId, wo.status, wo.replyDueAt, wo.repliedAt, wo.replyLateMinutes, wo.supervised';

/** Orders that were overdue and not replied, or replied late; statuses that never count. */
const NOT_COUNTED = ['merged', 'cancelled', 'invalid'] as const;

/**
 * The overdue report's statements (超期). Each reads one index range: the open statuses × replyDueAt
 * (IDX_work_orders_status_replyDueAt_id, or per lead unit IDX_work_orders_leadUnitId_status_replyDueAt_id), or
 * repliedAt (IDX_work_orders_repliedAt) — never the orders' history.
 */
@Injectable()
export class OverdueReportRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Orders not replied now whose reply was due before `end`: they were overdue and unreplied at `end` too. */
  unrepliedDueBefore(end: Date, scope: ReportScope): Promise<OverdueCandidate[]> {
    const where = ['wo.status IN (:...openStatuses)', 'wo.replyDueAt < :end', 'wo.repliedAt IS NULL', 'wo.leadUnitId IS NOT NULL', ...scopeCondition('wo.leadUnitId', scope)];
    return this.candidates(`SELECT ${COLUMNS} FROM work_orders wo WHERE ${where.join(' AND ')}`, { openStatuses: OPEN_STATUSES, end, ...scopeParams(scope) });
  }

  /** Orders replied at or after `end` whose reply was due before it: overdue and unreplied at `end`. */
  repliedSinceDueBefore(end: Date, scope: ReportScope): Promise<OverdueCandidate[]> {
    const where = ['wo.repliedAt >= :end', 'wo.replyDueAt < :end', 'wo.status NOT IN (:...notCounted)', 'wo.leadUnitId IS NOT NULL', ...scopeCondition('wo.leadUnitId', scope)];
    return this.candidates(`SELECT ${COLUMNS} FROM work_orders wo WHERE ${where.join(' AND ')}`, { end, notCounted: NOT_COUNTED, ...scopeParams(scope) });
  }

  /** Orders replied in [start, end) after their deadline (recorded lateness > 0). */
  repliedLateBetween(start: Date, end: Date, scope: ReportScope): Promise<OverdueCandidate[]> {
    const where = [
      'wo.repliedAt >= :start',
      'wo.repliedAt < :end',
      'wo.replyLateMinutes > 0',
      'wo.status NOT IN (:...notCounted)',
      'wo.leadUnitId IS NOT NULL',
      ...scopeCondition('wo.leadUnitId', scope),
    ];
    return this.candidates(`SELECT ${COLUMNS} FROM work_orders wo WHERE ${where.join(' AND ')}`, { start, end, notCounted: NOT_COUNTED, ...scopeParams(scope) });
  }

  private async candidates(sql: string, params: Record<string, unknown>): Promise<OverdueCandidate[]> {
    const rows = await runReportStatement<CandidateRow>(this.dataSource, this.config.queryTimeouts.reportMs, { sql, params });
    return rows.map((row) => ({
      id: rowNumber(row.id),
      number: row.number,
      title: row.title,
      leadUnitId: rowNumber(row.leadUnitId),
      status: row.status,
      replyDueAt: rowDate(row.replyDueAt),
      repliedAt: rowDate(row.repliedAt),
      replyLateMinutes: row.replyLateMinutes === null ? null : rowNumber(row.replyLateMinutes),
      supervised: rowBoolean(row.supervised),
    }));
  }
}

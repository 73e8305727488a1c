import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { ReportScope } from '../report-scope';
import { rowNumber, runReportStatement, scopeCondition, scopeParams } from '../overdue/report-sql';

/** A column the intake is broken down by; each has an index (column, createdAt, id) for the whole center. */
export type VolumeColumn = 'channel' | 'requestType';

/**
 * The intake's counts. The whole center: `column IN (…every value…) AND createdAt …` reads one range per value of
 * IDX_work_orders_channel_createdAt_id / IDX_work_orders_requestType_createdAt_id (as the dashboard does); a unit's
 * subtree reads each lead unit's createdAt range (IDX_work_orders_leadUnitId_createdAt_id).
 */
@Injectable()
export class VolumeRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Orders registered in [start, end) by the column's value (only the values given), led by a unit in scope. */
  async registeredBy(column: VolumeColumn, values: readonly string[], start: Date, end: Date, scope: ReportScope): Promise<Map<string, number>> {
    if (values.length === 0) return new Map();
    const where = [`wo.${column} IN (:...values)`, 'wo.createdAt >= :start', 'wo.createdAt < :end', ...scopeCondition('wo.leadUnitId', scope)];
    const rows = await runReportStatement<{ k: string; n: number | string }>(this.dataSource, this.config.queryTimeouts.reportMs, {
      sql: `SELECT wo.${column} AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.${column}`,
      params: { values, start, end, ...scopeParams(scope) },
    });
    return new Map(rows.map((row) => [row.k, rowNumber(row.n)]));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { ReportScope } from '../report-scope';
import { rowDate, rowNumber, runReportStatement } from '../overdue/report-sql';

/** A hotspot as the report lists it. */
export interface ReportedHotspot {
  id: number;
  title: string;
  address: string;
  memberCount: number;
  callerCount: number;
  firstAt: Date;
  lastAt: Date;
  districtUnitId: number | null;
}

interface HotspotRow {
  id: number | string;
  title: string;
  address: string;
  memberCount: number | string;
  callerCount: number | string;
  firstAt: Date | string;
  lastAt: Date | string;
  districtUnitId: number | string | null;
}

/**
 * The repeats report's hotspots (多人反映): those whose orders reach into the period — the last order at or after its
 * start (IDX_hotspots_lastAt), the first before its end — in the scope's districts or streets.
 */
@Injectable()
export class RepeatsReportRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async hotspotsBetween(start: Date, end: Date, scope: ReportScope, limit: number): Promise<ReportedHotspot[]> {
    const where = ['h.lastAt >= :start', 'h.firstAt < :end'];
    if (scope.unitIds !== null) where.push(scope.unitIds.length > 0 ? '(h.districtUnitId IN (:...scopeUnits) OR h.streetUnitId IN (:...scopeUnits))' : '1 = 0');
    const rows = await runReportStatement<HotspotRow>(this.dataSource, this.config.queryTimeouts.reportMs, {
      sql: `SELECT h.id, h.title, h.address, h.memberCount, h.callerCount, h.firstAt, h.lastAt, h.districtUnitId FROM hotspots h WHERE ${where.join(' AND ')} ORDER BY h.memberCount DESC, h.lastAt DESC, h.id ASC LIMIT ${Math.max(1, Math.floor(limit))}`,
      params: { start, end, scopeUnits: scope.unitIds !== null && scope.unitIds.length > 0 ? scope.unitIds : undefined },
    });
    return rows.map((row) => ({
      id: rowNumber(row.id),
      title: row.title,
      address: row.address,
      memberCount: rowNumber(row.memberCount),
      callerCount: rowNumber(row.callerCount),
      firstAt: rowDate(row.firstAt),
      lastAt: rowDate(row.lastAt),
      districtUnitId: row.districtUnitId === null ? null : rowNumber(row.districtUnitId),
    }));
  }
}

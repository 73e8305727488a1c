import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { rowNumber, runReportStatement } from '../overdue/report-sql';

/** One center day's inbound calls. */
export interface CallDayCounts {
  calls: number;
  answered: number;
  answeredWithin15s: number;
  /** The caller hung up before an agent answered: `abandoned` (in the queue) and `missed` (before it) — docs/cti.md. */
  abandoned: number;
}

/** Answered within this many seconds of waiting (GB/T 33358: 15 s). */
export const ANSWER_TARGET_SECONDS = 15;

/** The calls report's queries over `calls` (cti/): each day's inbound calls by start time (IDX_calls_startedAt_id). */
@Injectable()
export class CallsReportRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether telephony has recorded any call at all (before that the report says "no data yet"). */
  async anyCallRecorded(): Promise<boolean> {
    const rows = await runReportStatement<{ found: number }>(this.dataSource, this.config.queryTimeouts.reportMs, { sql: 'SELECT 1 AS found FROM calls LIMIT 1', params: {} });
    return rows.length > 0;
  }

  /** Inbound calls that started in [start, end). */
  async countInbound(start: Date, end: Date): Promise<CallDayCounts> {
    const [row] = await runReportStatement<Record<keyof CallDayCounts, number | string | null>>(this.dataSource, this.config.queryTimeouts.reportMs, {
      sql: `SELECT COUNT(*) AS calls,
                   SUM(CASE WHEN c.answeredAt IS NOT NULL THEN 1 ELSE 0 END) AS answered,
                   SUM(CASE WHEN c.answeredAt IS NOT NULL AND c.waitSeconds <= :target THEN 1 ELSE 0 END) AS answeredWithin15s,
                   SUM(CASE WHEN c.status IN ('abandoned', 'missed') THEN 1 ELSE 0 END) AS abandoned
              FROM calls c
             WHERE c.startedAt >= :start AND c.startedAt < :end AND c.direction = 'inbound'`,
      params: { start, end, target: ANSWER_TARGET_SECONDS },
    });
    return { calls: rowNumber(row?.calls), answered: rowNumber(row?.answered), answeredWithin15s: rowNumber(row?.answeredWithin15s), abandoned: rowNumber(row?.abandoned) };
  }
}

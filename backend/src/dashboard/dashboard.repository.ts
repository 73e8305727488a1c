import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isStatementTimeout, markStatementTimeout } from '../database/database-errors';
import { statementTimeoutEngine, withStatementTimeoutSql } from '../database/statement-timeout';
import type { WorkOrderStatus } from '../work-orders/work-order.enums';

/** Whose orders a figure counts: every order (null), or those led by these units. */
export type LeadScope = number[] | null;

/** A half-open time range [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** A column the intake is broken down by; each has an index that starts with it and goes on with createdAt. */
export type IntakeColumn = 'channel' | 'requestType' | 'categoryId';

interface NamedQuery {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The dashboard's counts. Every statement reads index ranges only: a breakdown names every value of its column
 * (`channel IN (…all channels…) AND createdAt …` is one range per value of `IDX_work_orders_channel_createdAt_id`),
 * statuses and warning levels read their own indexes, a lead-unit scope the per-unit ones. Nothing groups by an
 * expression over the whole table, and each statement runs under the report time limit (REPORT_QUERY_TIMEOUT_MS).
 */
@Injectable()
export class DashboardRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Orders registered in the range, by the column's value (only the values given are counted). */
  async intakeBy(column: IntakeColumn, values: readonly (string | number)[], range: TimeRange, scope: LeadScope): Promise<Map<string, number>> {
    if (values.length === 0) return new Map();
    const where = [`wo.${column} IN (:...values)`, 'wo.createdAt >= :from', 'wo.createdAt < :to', ...scopeCondition(scope)];
    return this.grouped({
      sql: `SELECT wo.${column} AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.${column}`,
      params: { values, from: range.from, to: range.to, units: scope },
    });
  }

  /** Orders registered in the range (one index range on createdAt, or on each lead unit's createdAt). */
  async intake(range: TimeRange, scope: LeadScope): Promise<number> {
    const where = ['wo.createdAt >= :from', 'wo.createdAt < :to', ...scopeCondition(scope)];
    return this.count({ sql: `SELECT COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')}`, params: { from: range.from, to: range.to, units: scope } });
  }

  /** Orders in these statuses, by status. */
  async byStatus(statuses: readonly WorkOrderStatus[], scope: LeadScope): Promise<Map<string, number>> {
    const where = ['wo.status IN (:...statuses)', ...scopeCondition(scope)];
    return this.grouped({ sql: `SELECT wo.status AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.status`, params: { statuses, units: scope } });
  }

  /** Orders at the yellow and red warning levels, by level. */
  async byWarning(scope: LeadScope): Promise<Map<string, number>> {
    const where = ["wo.warningLevel IN ('yellow', 'red')", ...scopeCondition(scope)];
    return this.grouped({ sql: `SELECT wo.warningLevel AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.warningLevel`, params: { units: scope } });
  }

  /** Orders registered on each day: one pass over the createdAt range, counted per day. */
  async createdPerDay(days: readonly TimeRange[], scope: LeadScope): Promise<number[]> {
    if (days.length === 0) return [];
    const bucket = dayBucket('wo.createdAt', days);
    const where = ['wo.createdAt >= :from', 'wo.createdAt < :to', ...scopeCondition(scope)];
    const rows = await this.grouped({
      sql: `SELECT ${bucket.sql} AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY k`,
      params: { ...bucket.params, from: days[0].from, to: days[days.length - 1].to, units: scope },
    });
    return days.map((_, i) => rows.get(String(i)) ?? 0);
  }

  /**
   * Orders closed on each day (closedAt, as they are now: a reopened order is not closed any more). closedAt has no
   * index of its own; an order closed in the range was changed in it, so the statement reads the updatedAt index
   * range from the first day (the orders changed in the last days, not the table) and counts the closed ones.
   */
  async closedPerDay(days: readonly TimeRange[], scope: LeadScope): Promise<number[]> {
    if (days.length === 0) return [];
    const bucket = dayBucket('wo.closedAt', days);
    const where = ['wo.updatedAt >= :from', "wo.status = 'closed'", 'wo.closedAt >= :from', 'wo.closedAt < :to', ...scopeCondition(scope)];
    const index = scope === null ? 'IDX_work_orders_updatedAt_id' : 'IDX_work_orders_leadUnitId_updatedAt_id';
    const rows = await this.grouped({
      sql: `SELECT ${bucket.sql} AS k, COUNT(*) AS n FROM work_orders wo ${await this.forceIndex(index)} WHERE ${where.join(' AND ')} GROUP BY k`,
      params: { ...bucket.params, from: days[0].from, to: days[days.length - 1].to, units: scope },
    });
    return days.map((_, i) => rows.get(String(i)) ?? 0);
  }

  /** Per lead unit (only the units given): orders in these statuses. */
  async byLeadUnitInStatuses(units: number[], statuses: readonly WorkOrderStatus[]): Promise<Map<string, number>> {
    if (units.length === 0) return new Map();
    return this.grouped({
      sql: 'SELECT wo.leadUnitId AS k, COUNT(*) AS n FROM work_orders wo WHERE wo.leadUnitId IN (:...units) AND wo.status IN (:...statuses) GROUP BY wo.leadUnitId',
      params: { units, statuses },
    });
  }

  /** Per lead unit and warning level (`<unitId>:<level>`): orders at yellow or red. */
  async warningByLeadUnit(units: number[]): Promise<Map<string, number>> {
    if (units.length === 0) return new Map();
    const rows: { u: number | string; w: string; n: number | string }[] = await this.run({
      sql: "SELECT wo.leadUnitId AS u, wo.warningLevel AS w, COUNT(*) AS n FROM work_orders wo WHERE wo.warningLevel IN ('yellow', 'red') AND wo.leadUnitId IN (:...units) GROUP BY wo.leadUnitId, wo.warningLevel",
      params: { units },
    });
    return new Map(rows.map((row) => [`${Number(row.u)}:${row.w}`, Number(row.n)]));
  }

  /** Per lead unit: orders registered in the range, optionally only those now in one status. */
  async intakeByLeadUnit(units: number[], range: TimeRange, status?: WorkOrderStatus): Promise<Map<string, number>> {
    if (units.length === 0) return new Map();
    const where = ['wo.leadUnitId IN (:...units)', ...(status ? ['wo.status = :status'] : []), 'wo.createdAt >= :from', 'wo.createdAt < :to'];
    return this.grouped({
      sql: `SELECT wo.leadUnitId AS k, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.leadUnitId`,
      params: { units, status, from: range.from, to: range.to },
    });
  }

  private async grouped(query: NamedQuery): Promise<Map<string, number>> {
    const rows: { k: string | number | null; n: number | string }[] = await this.run(query);
    return new Map(rows.filter((row) => row.k !== null).map((row) => [String(row.k), Number(row.n)]));
  }

  private async count(query: NamedQuery): Promise<number> {
    const rows: { n: number | string }[] = await this.run(query);
    return Number(rows[0]?.n ?? 0);
  }

  /** The engine's way to make a statement read one index: the optimizer might otherwise take a wider range. */
  private async forceIndex(index: string): Promise<string> {
    return (await statementTimeoutEngine(this.dataSource)) === 'sqlite' ? `INDEXED BY ${index}` : `FORCE INDEX (${index})`;
  }

  /** Runs a named query under the report statement time limit: a report that would take longer answers 503. */
  private async run<T>(query: NamedQuery): Promise<T[]> {
    const params = Object.fromEntries(Object.entries(query.params).filter(([, value]) => value !== null && value !== undefined));
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(query.sql, params);
    const limitMs = this.config.queryTimeouts.reportMs;
    const limited = withStatementTimeoutSql(sql, await statementTimeoutEngine(this.dataSource), limitMs);
    try {
      return await this.dataSource.manager.query<T[]>(limited, parameters);
    } catch (error) {
      if (isStatementTimeout(error)) markStatementTimeout(error, limitMs);
      throw error;
    }
  }
}

function scopeCondition(scope: LeadScope): string[] {
  if (scope === null) return [];
  return [scope.length > 0 ? 'wo.leadUnitId IN (:...units)' : '1 = 0'];
}

/** `CASE WHEN column < day1.to THEN 0 WHEN column < day2.to THEN 1 … END`: the index of the day an instant falls in. */
function dayBucket(column: string, days: readonly TimeRange[]): NamedQuery {
  const params: Record<string, unknown> = {};
  const whens = days.map((day, i) => {
    params[`dayEnd${i}`] = day.to;
    return `WHEN ${column} < :dayEnd${i} THEN ${i}`;
  });
  return { sql: `CASE ${whens.join(' ')} END`, params };
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DISPUTE_RULES, type ShirkingRule } from '../../shirking/shirking.enums';
import type { ReportScope } from '../report-scope';
import { rowNumber, runReportStatement, scopeCondition, scopeParams, type ReportStatement } from '../overdue/report-sql';

/** A half-open time range [start, end). */
export interface ReportRange {
  start: Date;
  end: Date;
}

/** Return requests (退单) of one unit in the period, by decision (null: not decided yet). */
export interface UnitReturns {
  unitId: number;
  decision: 'approved' | 'rejected' | null;
  count: number;
}

/** Flags of one rule raised on one unit (null: no unit known) in the period, and how many of them are resolved now. */
export interface UnitRuleFlags {
  unitId: number | null;
  rule: ShirkingRule;
  count: number;
  resolved: number;
}

/** An order returned in the period, with how often, the units that returned it (first return first). */
export interface ReturnedOrder {
  workOrderId: number;
  number: string;
  title: string;
  returns: number;
  unitIds: number[];
}

/** The failed callbacks counted: the citizen said not resolved, or was dissatisfied (docs/report-definitions.md). */
const FAILED_CALLBACK_OUTCOMES = ['unresolved', 'dissatisfied'] as const;

/**
 * The shirking report's statements (推诿扯皮), each over one index range of the period: returns by requestedAt
 * (IDX_work_order_returns_requestedAt), flags by createdAt (IDX_shirking_flags_createdAt), callbacks by calledBackAt
 * (IDX_work_orders_calledBackAt), rulings by ruledAt (IDX_work_orders_ruledAt). None reads all orders or the timeline.
 */
@Injectable()
export class ShirkingReportRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Return requests made in the period, per returning unit and decision. */
  async returnsByUnit(range: ReportRange, scope: ReportScope): Promise<UnitReturns[]> {
    const where = ['r.requestedAt >= :start', 'r.requestedAt < :end', ...scopeCondition('r.unitId', scope)];
    const rows = await this.run<{ u: number | string; d: 'approved' | 'rejected' | null; n: number | string }>({
      sql: `SELECT r.unitId AS u, r.decision AS d, COUNT(*) AS n FROM work_order_returns r WHERE ${where.join(' AND ')} GROUP BY r.unitId, r.decision`,
      params: { ...range, ...scopeParams(scope) },
    });
    return rows.map((row) => ({ unitId: rowNumber(row.u), decision: row.d, count: rowNumber(row.n) }));
  }

  /** Orders called back in the period whose callback failed (unresolved / dissatisfied), per lead unit. */
  async failedCallbacksByUnit(range: ReportRange, scope: ReportScope): Promise<Map<number, number>> {
    const where = ['wo.calledBackAt >= :start', 'wo.calledBackAt < :end', 'wo.callbackOutcome IN (:...failed)', 'wo.leadUnitId IS NOT NULL', ...scopeCondition('wo.leadUnitId', scope)];
    const rows = await this.run<{ u: number | string; n: number | string }>({
      sql: `SELECT wo.leadUnitId AS u, COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')} GROUP BY wo.leadUnitId`,
      params: { ...range, failed: FAILED_CALLBACK_OUTCOMES, ...scopeParams(scope) },
    });
    return new Map(rows.map((row) => [rowNumber(row.u), rowNumber(row.n)]));
  }

  /** Flags first raised in the period, per unit and rule, with how many are resolved now. */
  async flagsByUnitAndRule(range: ReportRange, scope: ReportScope): Promise<UnitRuleFlags[]> {
    const where = ['f.createdAt >= :start', 'f.createdAt < :end', ...scopeCondition('f.unitId', scope)];
    const rows = await this.run<{ u: number | string | null; r: ShirkingRule; n: number | string; s: number | string | null }>({
      sql: `SELECT f.unitId AS u, f.rule AS r, COUNT(*) AS n, SUM(CASE WHEN f.resolvedAt IS NULL THEN 0 ELSE 1 END) AS s FROM shirking_flags f WHERE ${where.join(' AND ')} GROUP BY f.unitId, f.rule`,
      params: { ...range, ...scopeParams(scope) },
    });
    return rows.map((row) => ({ unitId: row.u === null ? null : rowNumber(row.u), rule: row.r, count: rowNumber(row.n), resolved: rowNumber(row.s) }));
  }

  /**
   * 争议件 raised in the period: top-level orders whose first dispute-rule flag (returned / bounced — the flag that made
   * them disputed, in the same evaluation) was raised in it, about a unit in scope. Reads the period's flags and, per
   * flag, the order's row and its other flags (UQ_shirking_flags_workOrderId_rule).
   */
  async disputesRaised(range: ReportRange, scope: ReportScope): Promise<number> {
    const where = [
      'f.createdAt >= :start',
      'f.createdAt < :end',
      'f.rule IN (:...disputeRules)',
      'wo.parentId IS NULL',
      'wo.disputed = 1',
      'NOT EXISTS (SELECT 1 FROM shirking_flags g WHERE g.workOrderId = f.workOrderId AND g.rule IN (:...disputeRules) AND g.createdAt < :start)',
      ...scopeCondition('f.unitId', scope),
    ];
    const [row] = await this.run<{ n: number | string }>({
      sql: `SELECT COUNT(DISTINCT f.workOrderId) AS n FROM shirking_flags f INNER JOIN work_orders wo ON wo.id = f.workOrderId WHERE ${where.join(' AND ')}`,
      params: { ...range, disputeRules: DISPUTE_RULES, ...scopeParams(scope) },
    });
    return rowNumber(row?.n);
  }

  /** 裁定 made in the period (an order's latest ruling, IDX_work_orders_ruledAt), ruled to a unit in scope. */
  async rulings(range: ReportRange, scope: ReportScope): Promise<number> {
    const where = ['wo.ruledAt >= :start', 'wo.ruledAt < :end', ...scopeCondition('wo.ruledUnitId', scope)];
    const [row] = await this.run<{ n: number | string }>({
      sql: `SELECT COUNT(*) AS n FROM work_orders wo WHERE ${where.join(' AND ')}`,
      params: { ...range, ...scopeParams(scope) },
    });
    return rowNumber(row?.n);
  }

  /** The orders returned most often in the period (by units in scope), most first, then by id; at most `limit`. */
  async mostReturned(range: ReportRange, scope: ReportScope, limit: number): Promise<ReturnedOrder[]> {
    const where = ['r.requestedAt >= :start', 'r.requestedAt < :end', ...scopeCondition('r.unitId', scope)];
    const top = await this.run<{ o: number | string; n: number | string }>({
      sql: `SELECT r.workOrderId AS o, COUNT(*) AS n FROM work_order_returns r WHERE ${where.join(' AND ')} GROUP BY r.workOrderId ORDER BY COUNT(*) DESC, r.workOrderId ASC LIMIT ${Math.max(1, Math.floor(limit))}`,
      params: { ...range, ...scopeParams(scope) },
    });
    if (top.length === 0) return [];
    const ids = top.map((row) => rowNumber(row.o));
    const [orders, returning] = await Promise.all([
      this.run<{ id: number | string; number: string; title: string }>({ sql: 'SELECT wo.id, wo.number, wo.title FROM work_orders wo WHERE wo.id IN (:...ids)', params: { ids } }),
      this.run<{ o: number | string; u: number | string; first: number | string }>({
        sql: `SELECT r.workOrderId AS o, r.unitId AS u, MIN(r.id) AS first FROM work_order_returns r WHERE r.workOrderId IN (:...ids) AND ${where.join(' AND ')} GROUP BY r.workOrderId, r.unitId`,
        params: { ids, ...range, ...scopeParams(scope) },
      }),
    ]);
    const orderOf = new Map(orders.map((row) => [rowNumber(row.id), row]));
    return top.map((row) => {
      const id = rowNumber(row.o);
      const order = orderOf.get(id);
      const unitIds = returning
        .filter((r) => rowNumber(r.o) === id)
        .sort((a, b) => rowNumber(a.first) - rowNumber(b.first))
        .map((r) => rowNumber(r.u));
      return { workOrderId: id, number: order?.number ?? '', title: order?.title ?? '', returns: rowNumber(row.n), unitIds };
    });
  }

  private run<T>(statement: ReportStatement): Promise<T[]> {
    return runReportStatement<T>(this.dataSource, this.config.queryTimeouts.reportMs, statement);
  }
}

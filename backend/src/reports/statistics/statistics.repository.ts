import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { StatOrderRow, StatSnapshot } from './order-contributions';
import { completeFigures, zeroFigures } from './order-contributions';
import { isMysql, runSql, sqlBoolean, sqlDate, sqlNumber, useIndex, type SqlRunner } from './sql-values';
import { UNIT_DAY_METRICS, type UnitDayFigures } from './unit-day-stat.entity';
import type { InstantRange, UnitFilter } from './direct-figures';

/** unit_day_stats rows per multi-row upsert (2 parameters a row, the figures inlined). */
const INSERT_CHUNK = 1_000;
/** Facts rows per INSERT (literals only). */
const FACTS_INSERT_CHUNK = 2_000;
/** Ids per IN list when loading orders or facts. */
const ID_CHUNK = 1000;

const ORDER_COLUMNS = [
  'id', 'status', 'leadUnitId', 'dispatchedAt', 'acceptedAt', 'acceptLateMinutes', 'firstContactAt', 'contactLateMinutes', 'repliedAt', 'replyLateMinutes',
  'replyDueAt', 'warningLevel', 'calledBackAt', 'callbackOutcome', 'resolved', 'satisfaction', 'closedAt', 'reopenCount', 'extensionApprovedMinutes',
  'supervised', 'repeatOfId',
] as const;

const FACT_COLUMNS = ['workOrderId', 'unitId', 'dispatchedAt', 'acceptedAt', 'repliedAt', 'overdueDueAt', 'calledBackAt', 'closedAt', 'flags', 'replyLateMinutes'] as const;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

function instant(value: Date | null): string {
  return value === null ? 'NULL' : `'${value.toISOString().slice(0, 23).replace('T', ' ')}'`;
}

function orderRowOf(row: Record<string, unknown>): StatOrderRow {
  const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(row.id),
    status: row.status as StatOrderRow['status'],
    leadUnitId: int(row.leadUnitId),
    dispatchedAt: sqlDate(row.dispatchedAt),
    acceptedAt: sqlDate(row.acceptedAt),
    acceptLateMinutes: int(row.acceptLateMinutes),
    firstContactAt: sqlDate(row.firstContactAt),
    contactLateMinutes: int(row.contactLateMinutes),
    repliedAt: sqlDate(row.repliedAt),
    replyLateMinutes: int(row.replyLateMinutes),
    replyDueAt: sqlDate(row.replyDueAt),
    warningLevel: row.warningLevel as StatOrderRow['warningLevel'],
    calledBackAt: sqlDate(row.calledBackAt),
    callbackOutcome: (row.callbackOutcome ?? null) as StatOrderRow['callbackOutcome'],
    resolved: sqlBoolean(row.resolved),
    satisfaction: (row.satisfaction ?? null) as StatOrderRow['satisfaction'],
    closedAt: sqlDate(row.closedAt),
    reopenCount: Number(row.reopenCount),
    extensionApprovedMinutes: Number(row.extensionApprovedMinutes),
    supervised: sqlBoolean(row.supervised) === true,
    repeatOfId: int(row.repeatOfId),
  };
}

/** Every statement of the daily statistics (unit_day_stats, order_stat_facts, statistics_cursors). */
@Injectable()
export class StatisticsRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Creates the cursor row once (a no-op when it exists). */
  async ensureCursor(manager: EntityManager, name: string): Promise<void> {
    const insert = isMysql(manager) ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
    await runSql(manager, `${insert} statistics_cursors (name, lastEventId, updatedAt) VALUES (:name, 0, NULL)`, { name });
  }

  /** Reads the cursor holding its row (FOR UPDATE on MySQL/MariaDB; SQLite serialises writers anyway). */
  async lockCursor(manager: EntityManager, name: string): Promise<number> {
    const lock = isMysql(manager) ? ' FOR UPDATE' : '';
    const rows = await runSql<{ lastEventId: unknown }>(manager, `SELECT lastEventId FROM statistics_cursors WHERE name = :name${lock}`, { name });
    if (rows.length === 0) throw new Error(`statistics cursor ${name} missing: ensureCursor() first`);
    return Number(rows[0].lastEventId);
  }

  async setCursor(manager: EntityManager, name: string, lastEventId: number, now: Date): Promise<void> {
    await runSql(manager, 'UPDATE statistics_cursors SET lastEventId = :lastEventId, updatedAt = :now WHERE name = :name', { name, lastEventId, now });
  }

  /** Timeline rows after an id, in id order (only what the job needs: which order changed). */
  async eventsAfter(manager: EntityManager, afterId: number, limit: number): Promise<{ id: number; workOrderId: number }[]> {
    const rows = await runSql<{ id: unknown; workOrderId: unknown }>(manager, `SELECT id, workOrderId FROM work_order_events WHERE id > :afterId ORDER BY id LIMIT ${Math.floor(limit)}`, { afterId });
    return rows.map((row) => ({ id: Number(row.id), workOrderId: Number(row.workOrderId) }));
  }

  async maxEventId(manager: EntityManager): Promise<number> {
    const rows = await runSql<{ id: unknown }>(manager, 'SELECT MAX(id) AS id FROM work_order_events');
    return sqlNumber(rows[0]?.id);
  }

  /** The current rows of these orders (the columns the statistics read). */
  async orders(manager: EntityManager, ids: readonly number[]): Promise<StatOrderRow[]> {
    const out: StatOrderRow[] = [];
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await runSql<Record<string, unknown>>(manager, `SELECT ${ORDER_COLUMNS.map((c) => `wo.${c}`).join(', ')} FROM work_orders wo WHERE wo.id IN (:...ids)`, { ids: part });
      for (const row of rows) out.push(orderRowOf(row));
    }
    return out;
  }

  /** Orders by id after `afterId` (the rebuild's batches). */
  async ordersAfter(manager: EntityManager, afterId: number, limit: number): Promise<StatOrderRow[]> {
    const rows = await runSql<Record<string, unknown>>(
      manager,
      `SELECT ${ORDER_COLUMNS.map((c) => `wo.${c}`).join(', ')} FROM work_orders wo WHERE wo.id > :afterId ORDER BY wo.id LIMIT ${Math.floor(limit)}`,
      { afterId },
    );
    return rows.map(orderRowOf);
  }

  /** The stored snapshots of these orders (an order without a row counts nothing). */
  async facts(manager: EntityManager, ids: readonly number[]): Promise<Map<number, StatSnapshot>> {
    const out = new Map<number, StatSnapshot>();
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await runSql<Record<string, unknown>>(manager, `SELECT ${FACT_COLUMNS.join(', ')} FROM order_stat_facts WHERE workOrderId IN (:...ids)`, { ids: part });
      for (const row of rows) {
        out.set(Number(row.workOrderId), {
          unitId: Number(row.unitId),
          dispatchedAt: sqlDate(row.dispatchedAt) as Date,
          acceptedAt: sqlDate(row.acceptedAt),
          repliedAt: sqlDate(row.repliedAt),
          overdueDueAt: sqlDate(row.overdueDueAt),
          calledBackAt: sqlDate(row.calledBackAt),
          closedAt: sqlDate(row.closedAt),
          flags: Number(row.flags),
          replyLateMinutes: Number(row.replyLateMinutes),
        });
      }
    }
    return out;
  }

  /**
   * Replaces the snapshots of these orders (null: the order counts nothing any more, its row goes). `existing` are the
   * orders that have a row now (only those are deleted first).
   */
  async replaceFacts(manager: EntityManager, changed: readonly { workOrderId: number; snapshot: StatSnapshot | null }[], existing: ReadonlySet<number>): Promise<void> {
    const stale = changed.map((c) => c.workOrderId).filter((id) => existing.has(id));
    for (const part of chunks(stale, ID_CHUNK)) {
      await runSql(manager, 'DELETE FROM order_stat_facts WHERE workOrderId IN (:...ids)', { ids: part });
    }
    const rows = changed.filter((c): c is { workOrderId: number; snapshot: StatSnapshot } => c.snapshot !== null);
    for (const part of chunks(rows, FACTS_INSERT_CHUNK)) {
      // Only integers and instants of our own: inlined as literals (UTC 'YYYY-MM-DD HH:MM:SS.SSS', as both engines store them).
      const tuples = part.map(({ workOrderId, snapshot: s }) =>
        `(${[workOrderId, s.unitId].map(integer).join(', ')}, ${[s.dispatchedAt, s.acceptedAt, s.repliedAt, s.overdueDueAt, s.calledBackAt, s.closedAt].map(instant).join(', ')}, ${integer(s.flags)}, ${integer(s.replyLateMinutes)})`,
      );
      await runSql(manager, `INSERT INTO order_stat_facts (${FACT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`);
    }
  }

  /** Adds the deltas to unit_day_stats (rows already in key order), creating the rows that do not exist yet. */
  async addToStats(manager: EntityManager, rows: readonly { day: string; unitId: number; figures: UnitDayFigures }[]): Promise<void> {
    const columns = ['day', 'unitId', ...UNIT_DAY_METRICS];
    const update = isMysql(manager)
      ? `ON DUPLICATE KEY UPDATE ${UNIT_DAY_METRICS.map((m) => `${m} = ${m} + VALUES(${m})`).join(', ')}`
      : `ON CONFLICT(day, unitId) DO UPDATE SET ${UNIT_DAY_METRICS.map((m) => `${m} = ${m} + excluded.${m}`).join(', ')}`;
    for (const part of chunks(rows, INSERT_CHUNK)) {
      const params: Record<string, unknown> = {};
      const tuples = part.map((row, i) => {
        params[`d${i}`] = row.day;
        params[`u${i}`] = row.unitId;
        // The figures are integers from our own arithmetic: inlined, they keep the statement's parameters few.
        return `(:d${i}, :u${i}, ${UNIT_DAY_METRICS.map((m) => String(Math.trunc(row.figures[m]))).join(', ')})`;
      });
      await runSql(manager, `INSERT INTO unit_day_stats (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${update}`, params);
    }
  }

  /** Removes every statistic and snapshot (the start of a rebuild). */
  async clearAll(manager: EntityManager): Promise<void> {
    await runSql(manager, 'DELETE FROM unit_day_stats');
    await runSql(manager, 'DELETE FROM order_stat_facts');
  }

  /** Replaces one day's rows with these figures (the consistency check's last resort). */
  async replaceDay(manager: EntityManager, day: string, figures: Map<number, UnitDayFigures>): Promise<void> {
    await runSql(manager, 'DELETE FROM unit_day_stats WHERE day = :day', { day });
    const rows = [...figures].sort((a, b) => a[0] - b[0]).map(([unitId, f]) => ({ day, unitId, figures: f }));
    await this.addToStats(manager, rows);
  }

  /**
   * The statistics summed over days `from`…`to` (local dates, inclusive) per unit: one range of the primary key
   * (day, unitId), at most days × units rows.
   */
  async sumByUnit(runner: SqlRunner, from: string, to: string, units: UnitFilter): Promise<Map<number, UnitDayFigures>> {
    const out = new Map<number, UnitDayFigures>();
    if (units !== null && units.length === 0) return out;
    const rows = await runSql<Record<string, unknown>>(
      runner,
      `SELECT unitId, ${UNIT_DAY_METRICS.map((m) => `SUM(${m}) AS ${m}`).join(', ')} FROM unit_day_stats WHERE day >= :from AND day <= :to${units === null ? '' : ' AND unitId IN (:...units)'} GROUP BY unitId`,
      { from, to, units },
    );
    for (const row of rows) {
      const figures = zeroFigures();
      for (const m of UNIT_DAY_METRICS) figures[m] = sqlNumber(row[m]);
      out.set(Number(row.unitId), figures);
    }
    return out;
  }

  /** One day's rows, per unit (rows of only zeros left out, as the direct figures have none). */
  async dayStats(manager: EntityManager, day: string): Promise<Map<number, UnitDayFigures>> {
    const rows = await runSql<Record<string, unknown>>(manager, `SELECT unitId, ${UNIT_DAY_METRICS.join(', ')} FROM unit_day_stats WHERE day = :day`, { day });
    const out = new Map<number, UnitDayFigures>();
    for (const row of rows) {
      const figures = completeFigures(Object.fromEntries(UNIT_DAY_METRICS.map((m) => [m, sqlNumber(row[m])])));
      if (UNIT_DAY_METRICS.some((m) => figures[m] !== 0)) out.set(Number(row.unitId), figures);
    }
    return out;
  }

  /** Orders with any statistics time in the range, now or in their stored snapshot (what a day's repair re-reads). */
  async orderIdsTouching(manager: EntityManager, range: InstantRange): Promise<number[]> {
    const ids = new Set<number>();
    for (const column of ['dispatchedAt', 'acceptedAt', 'repliedAt', 'replyDueAt', 'calledBackAt', 'closedAt']) {
      const rows = await runSql<{ id: unknown }>(manager, `SELECT id FROM work_orders WHERE ${column} >= :start AND ${column} < :end`, range as unknown as Record<string, unknown>);
      for (const row of rows) ids.add(Number(row.id));
    }
    for (const column of ['dispatchedAt', 'acceptedAt', 'repliedAt', 'overdueDueAt', 'calledBackAt', 'closedAt']) {
      const rows = await runSql<{ id: unknown }>(manager, `SELECT workOrderId AS id FROM order_stat_facts WHERE ${column} >= :start AND ${column} < :end`, range as unknown as Record<string, unknown>);
      for (const row of rows) ids.add(Number(row.id));
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Per unit in the range: return requests (退单) made, and how many of them the center approved. */
  async returnsByUnit(runner: SqlRunner, range: InstantRange, units: UnitFilter): Promise<Map<number, { returns: number; returnsApproved: number }>> {
    const out = new Map<number, { returns: number; returnsApproved: number }>();
    if (units !== null && units.length === 0) return out;
    const rows = await runSql<Record<string, unknown>>(
      runner,
      `SELECT r.unitId AS unitId, COUNT(*) AS returns, SUM(CASE WHEN r.decision = 'approved' THEN 1 ELSE 0 END) AS approved FROM work_order_returns r ${useIndex(runner, 'IDX_work_order_returns_requestedAt')} WHERE r.requestedAt >= :start AND r.requestedAt < :end${units === null ? '' : ' AND r.unitId IN (:...units)'} GROUP BY r.unitId`,
      { start: range.start, end: range.end, units },
    );
    for (const row of rows) out.set(Number(row.unitId), { returns: sqlNumber(row.returns), returnsApproved: sqlNumber(row.approved) });
    return out;
  }

  /** Per unit: shirking flags (推诿扯皮) raised on it in the range. */
  async flagsByUnit(runner: SqlRunner, range: InstantRange, units: UnitFilter): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (units !== null && units.length === 0) return out;
    const rows = await runSql<Record<string, unknown>>(
      runner,
      `SELECT f.unitId AS unitId, COUNT(*) AS flags FROM shirking_flags f ${useIndex(runner, 'IDX_shirking_flags_createdAt')} WHERE f.createdAt >= :start AND f.createdAt < :end AND f.unitId IS NOT NULL${units === null ? '' : ' AND f.unitId IN (:...units)'} GROUP BY f.unitId`,
      { start: range.start, end: range.end, units },
    );
    for (const row of rows) out.set(Number(row.unitId), sqlNumber(row.flags));
    return out;
  }
}

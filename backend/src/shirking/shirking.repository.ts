import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { queryWithStatementTimeout } from '../database/statement-timeout';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrderReturn } from '../work-orders/entities/work-order-return.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { ShirkingFlag } from './entities/shirking-flag.entity';
import type { ShirkingRule } from './shirking.enums';
import type { OrderHistory } from './shirking-rules';
import { dateFromRow } from '../database/columns';

/** The order columns the evaluation and the queue read. */
export type FlaggedOrder = Pick<
  WorkOrder,
  'id' | 'number' | 'title' | 'status' | 'parentId' | 'leadUnitId' | 'version' | 'registeredById' | 'disputed' | 'ruledUnitId' | 'ruledAt' | 'returnCount' | 'reopenCount' | 'createdAt' | 'repeatOfId'
>;

const ORDER_COLUMNS: (keyof FlaggedOrder)[] = [
  'id',
  'number',
  'title',
  'status',
  'parentId',
  'leadUnitId',
  'version',
  'registeredById',
  'disputed',
  'ruledUnitId',
  'ruledAt',
  'returnCount',
  'reopenCount',
  'createdAt',
  'repeatOfId',
];

/** The queue's filters, already checked (unit ids expanded to their subtree). */
export interface QueueFilter {
  unitIds: number[] | null;
  rule: ShirkingRule | null;
  from: Date | null;
  to: Date | null;
  disputedOnly: boolean;
  openOnly: boolean;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** Per unit: figures of a period. */
export interface UnitFigures {
  returns: Map<number, { returns: number; orders: number }>;
  flags: Map<number, { orders: number; byRule: Map<ShirkingRule, number> }>;
  /** Orders registered in the period that the unit leads now and did not return in it. */
  kept: Map<number, number>;
}

/** Every query of shirking detection: an order's history, its flags, the supervisors' queue and the per-unit figures. */
@Injectable()
export class ShirkingRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Write-locks the order row for the evaluation (MariaDB/MySQL; SQLite runs one transaction at a time): two evaluations
   * of the same order, here or on another instance, then run one after the other and the second sees the first's flags.
   */
  async lockOrder(id: number, manager: EntityManager): Promise<FlaggedOrder | null> {
    const query = manager.createQueryBuilder(WorkOrder, 'wo').select(ORDER_COLUMNS.map((c) => `wo.${c}`)).where('wo.id = :id', { id });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return query.getOne();
  }

  /** The repeat an event names points to this earlier order (null: not a repeat). */
  async repeatOfId(id: number): Promise<number | null> {
    const row = await this.dataSource.manager.findOne(WorkOrder, { select: { id: true, repeatOfId: true }, where: { id } });
    return row?.repeatOfId ?? null;
  }

  /** What the rules read: the order's timeline (oldest first), its return requests and the orders that repeat it. */
  async history(order: FlaggedOrder, manager: EntityManager): Promise<OrderHistory> {
    const events = await manager.find(WorkOrderEvent, {
      select: { id: true, action: true, payload: true, createdAt: true },
      where: { workOrderId: order.id },
      order: { id: 'ASC' },
    });
    const returns = await manager.find(WorkOrderReturn, {
      select: { id: true, unitId: true, requestedAt: true, reasonCode: true, decision: true },
      where: { workOrderId: order.id },
      order: { id: 'ASC' },
    });
    const repeats = await manager.find(WorkOrder, { select: { id: true, number: true, createdAt: true }, where: { repeatOfId: order.id }, order: { id: 'ASC' } });
    return { order, events, returns, repeats };
  }

  flagsOf(workOrderId: number, manager: EntityManager): Promise<ShirkingFlag[]> {
    return manager.find(ShirkingFlag, { where: { workOrderId }, order: { id: 'ASC' } });
  }

  async insertFlag(flag: Omit<ShirkingFlag, 'id' | 'workOrder' | 'unit'>, manager: EntityManager): Promise<void> {
    // simple-json columns hold any object; TypeORM's partial-entity type does not see that.
    await manager.insert(ShirkingFlag, flag as QueryDeepPartialEntity<ShirkingFlag>);
  }

  async updateFlag(id: number, changes: Partial<Pick<ShirkingFlag, 'unitId' | 'count' | 'reasons' | 'flaggedAt' | 'resolvedAt' | 'resolvedById' | 'resolution'>>, manager: EntityManager): Promise<void> {
    await manager.update(ShirkingFlag, { id }, changes as QueryDeepPartialEntity<ShirkingFlag>);
  }

  /** 争议件: sets the order's flag. The version stays: no one's next action on the order should fail because of it. */
  async markDisputed(workOrderId: number, manager: EntityManager): Promise<void> {
    await manager.update(WorkOrder, { id: workOrderId }, { disputed: true });
  }

  async appendEvent(event: Omit<WorkOrderEvent, 'id' | 'workOrder'>, manager: EntityManager): Promise<void> {
    await manager.insert(WorkOrderEvent, event as QueryDeepPartialEntity<WorkOrderEvent>);
  }

  findFlag(id: number): Promise<ShirkingFlag | null> {
    return this.dataSource.manager.findOne(ShirkingFlag, { where: { id } });
  }

  /** A flag, write-locked for a change (SQLite: one transaction at a time anyway). */
  async lockFlag(id: number, manager: EntityManager): Promise<ShirkingFlag | null> {
    const query = manager.createQueryBuilder(ShirkingFlag, 'f').where('f.id = :id', { id });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return query.getOne();
  }

  /**
   * One page of flagged orders, the most recently flagged first: the orders that have a flag matching the filter,
   * with the time of their latest matching flag, and how many such orders there are.
   */
  async queuePage(filter: QueueFilter, page: number, pageSize: number): Promise<{ ids: { id: number; lastFlaggedAt: Date }[]; total: number }> {
    const limit = this.config.queryTimeouts.listMs;
    const rows = await queryWithStatementTimeout<{ id: number | string; last: Date | string }>(
      this.filtered(filter)
        .select('f.workOrderId', 'id')
        .addSelect('MAX(f.flaggedAt)', 'last')
        .groupBy('f.workOrderId')
        .orderBy('last', 'DESC')
        .addOrderBy('f.workOrderId', 'DESC')
        .offset((page - 1) * pageSize)
        .limit(pageSize),
      limit,
    );
    const [count] = await queryWithStatementTimeout<{ n: number | string }>(this.filtered(filter).select('COUNT(DISTINCT f.workOrderId)', 'n'), limit);
    return { ids: rows.map((r) => ({ id: Number(r.id), lastFlaggedAt: dateFromRow(r.last) })), total: Number(count?.n ?? 0) };
  }

  ordersByIds(ids: number[]): Promise<FlaggedOrder[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.createQueryBuilder(WorkOrder, 'wo').select(ORDER_COLUMNS.map((c) => `wo.${c}`)).where('wo.id IN (:...ids)', { ids }).getMany();
  }

  flagsOfOrders(ids: number[]): Promise<ShirkingFlag[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.createQueryBuilder(ShirkingFlag, 'f').where('f.workOrderId IN (:...ids)', { ids }).orderBy('f.id', 'ASC').getMany();
  }

  /** Per unit in the period: returns (work_order_returns), flags by rule, and the orders of the period it kept. */
  async unitFigures(range: TimeRange): Promise<UnitFigures> {
    const limit = this.config.queryTimeouts.reportMs;
    const manager = this.dataSource.manager;
    const returnRows = await queryWithStatementTimeout<{ u: number | string; n: number | string; o: number | string }>(
      manager
        .createQueryBuilder(WorkOrderReturn, 'r')
        .select('r.unitId', 'u')
        .addSelect('COUNT(*)', 'n')
        .addSelect('COUNT(DISTINCT r.workOrderId)', 'o')
        .where('r.requestedAt >= :from AND r.requestedAt < :to', range)
        .groupBy('r.unitId'),
      limit,
    );
    const flagRows = await queryWithStatementTimeout<{ u: number | string; r: ShirkingRule; n: number | string }>(
      manager
        .createQueryBuilder(ShirkingFlag, 'f')
        .select('f.unitId', 'u')
        .addSelect('f.rule', 'r')
        .addSelect('COUNT(*)', 'n')
        .where('f.flaggedAt >= :from AND f.flaggedAt < :to AND f.unitId IS NOT NULL', range)
        .groupBy('f.unitId')
        .addGroupBy('f.rule'),
      limit,
    );
    const flaggedOrderRows = await queryWithStatementTimeout<{ u: number | string; n: number | string }>(
      manager
        .createQueryBuilder(ShirkingFlag, 'f')
        .select('f.unitId', 'u')
        .addSelect('COUNT(DISTINCT f.workOrderId)', 'n')
        .where('f.flaggedAt >= :from AND f.flaggedAt < :to AND f.unitId IS NOT NULL', range)
        .groupBy('f.unitId'),
      limit,
    );
    const keptRows = await queryWithStatementTimeout<{ u: number | string; n: number | string }>(
      manager
        .createQueryBuilder(WorkOrder, 'wo')
        .select('wo.leadUnitId', 'u')
        .addSelect('COUNT(*)', 'n')
        .where('wo.createdAt >= :from AND wo.createdAt < :to AND wo.leadUnitId IS NOT NULL', range)
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM work_order_returns r WHERE r.workOrderId = wo.id AND r.unitId = wo.leadUnitId AND r.requestedAt >= :from AND r.requestedAt < :to)`,
        )
        .groupBy('wo.leadUnitId'),
      limit,
    );
    const returns = new Map(returnRows.map((row) => [Number(row.u), { returns: Number(row.n), orders: Number(row.o) }]));
    const flags = new Map<number, { orders: number; byRule: Map<ShirkingRule, number> }>();
    for (const row of flaggedOrderRows) flags.set(Number(row.u), { orders: Number(row.n), byRule: new Map() });
    for (const row of flagRows) flags.get(Number(row.u))?.byRule.set(row.r, Number(row.n));
    return { returns, flags, kept: new Map(keptRows.map((row) => [Number(row.u), Number(row.n)])) };
  }

  private filtered(filter: QueueFilter): SelectQueryBuilder<ShirkingFlag> {
    const query = this.dataSource.manager.createQueryBuilder(ShirkingFlag, 'f');
    if (filter.disputedOnly) query.innerJoin(WorkOrder, 'wo', 'wo.id = f.workOrderId AND wo.disputed = :disputed', { disputed: true });
    if (filter.unitIds !== null) query.andWhere(filter.unitIds.length > 0 ? 'f.unitId IN (:...unitIds)' : '1 = 0', { unitIds: filter.unitIds });
    if (filter.rule !== null) query.andWhere('f.rule = :rule', { rule: filter.rule });
    if (filter.from !== null) query.andWhere('f.flaggedAt >= :from', { from: filter.from });
    if (filter.to !== null) query.andWhere('f.flaggedAt < :to', { to: filter.to });
    if (filter.openOnly) query.andWhere('f.resolvedAt IS NULL');
    return query;
  }
}

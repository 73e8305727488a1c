import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { Hotspot } from './entities/hotspot.entity';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';

/** What narrows the hotspot list. */
export interface HotspotFilters {
  /** null: every hotspot (center staff); otherwise those with an order led or assisted by one of these units. */
  visibleUnitIds: number[] | null;
  /** Only hotspots whose last order is at or after this time (the active ones). */
  lastAtFrom?: Date;
  districtUnitId?: number;
  streetUnitId?: number;
  categoryIds?: number[];
  /** Hotspots whose orders span some of [from, to): firstAt < to and lastAt ≥ from. */
  from?: Date;
  to?: Date;
}

/** A hotspot row with its orders of the last 7 days and of the 7 days before. */
export interface RankedHotspot {
  hotspot: Hotspot;
  recentCount: number;
  previousCount: number;
}

/** The columns of an order a hotspot shows or decides on. */
export type HotspotOrder = Pick<
  WorkOrder,
  'id' | 'number' | 'title' | 'address' | 'status' | 'createdAt' | 'citizenName' | 'citizenPhone' | 'citizenConfidential' | 'districtUnitId' | 'streetUnitId' | 'categoryId'
>;

const ORDER_COLUMNS = {
  id: true,
  number: true,
  title: true,
  address: true,
  status: true,
  createdAt: true,
  citizenName: true,
  citizenPhone: true,
  citizenConfidential: true,
  districtUnitId: true,
  streetUnitId: true,
  categoryId: true,
} satisfies Record<keyof HotspotOrder, true>;

/** Every query of the hotspots (热点) table and what it reads of the orders and their fingerprints. */
@Injectable()
export class HotspotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /**
   * Makes sure each matter has its row and write-locks them, lowest matterId first: one multi-row INSERT that, where a
   * row is already there (or a concurrent transaction is inserting it), updates nothing but takes the row's exclusive
   * lock — so concurrent screenings of one matter queue here, one after another, instead of deadlocking on a locking
   * read of a missing row (its gap lock) followed by an insert — then one locking read of them all (through the unique
   * index: lockByMatter). A new row carries memberCount 0 until the caller fills it in. Rows by matterId.
   */
  async ensureLocked(rows: Omit<Hotspot, 'id'>[], manager: EntityManager): Promise<Map<number, Hotspot>> {
    if (rows.length === 0) return new Map();
    const sorted = [...rows].sort((a, b) => a.matterId - b.matterId);
    await manager.createQueryBuilder().insert().into(Hotspot).values(sorted).orUpdate(['matterId'], ['matterId']).execute();
    const matterIds = sorted.map((row) => row.matterId);
    const lockedRows =
      manager.connection.options.type === 'better-sqlite3'
        ? await manager.createQueryBuilder(Hotspot, 'h').where('h.matterId IN (:...matterIds)', { matterIds }).orderBy('h.matterId', 'ASC').getMany()
        : await this.lockByMatter(matterIds, manager);
    const locked = new Map(lockedRows.map((row) => [row.matterId, row]));
    const vanished = sorted.find((row) => !locked.has(row.matterId));
    if (vanished) throw new Error(`The hotspot row of matter ${vanished.matterId} vanished after it was written`);
    return locked;
  }

  /**
   * MySQL/MariaDB: the matters' rows read and write-locked through their unique index, always (FORCE INDEX). On a table
   * of a few dozen or hundred rows the optimizer reads a list of matters by scanning the whole table (and sorting),
   * and a locking scan locks every row and every gap: another process's batch, about other matters altogether, then
   * waits on this one — or deadlocks with it, as bench:intake showed (MariaDB's dump: 117 row locks taken for 16
   * matters). Through the index a row is locked only for its own matter.
   */
  private async lockByMatter(matterIds: readonly number[], manager: EntityManager): Promise<Hotspot[]> {
    const columns = manager.connection.getMetadata(Hotspot).columns;
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT ${columns.map((column) => `\`${column.databaseName}\``).join(', ')} FROM \`hotspots\` FORCE INDEX (\`UQ_hotspots_matterId\`) WHERE \`matterId\` IN (?) ORDER BY \`matterId\` FOR UPDATE`,
      [[...matterIds]],
    );
    return rows.map((row) => {
      const hotspot = new Hotspot();
      for (const column of columns) column.setEntityValue(hotspot, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
      return hotspot;
    });
  }

  /** Deletes the rows among these that ensureLocked made and nobody filled in (their matters were no hotspot after all). */
  async removeUnfilled(ids: readonly number[], manager: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await manager.createQueryBuilder().delete().from(Hotspot).where('id IN (:...ids) AND memberCount = 0', { ids: [...ids] }).execute();
  }

  async update(id: number, changes: Partial<Omit<Hotspot, 'id' | 'matterId'>>, manager: EntityManager): Promise<void> {
    await manager.update(Hotspot, { id }, changes);
  }

  findById(id: number): Promise<Hotspot | null> {
    return this.dataSource.manager.findOne(Hotspot, { where: { id } });
  }

  /** The orders, by id, with what a hotspot shows of them. */
  async ordersOf(ids: readonly number[], manager?: EntityManager): Promise<Map<number, HotspotOrder>> {
    if (ids.length === 0) return new Map();
    const rows = await this.manager(manager).find(WorkOrder, { select: ORDER_COLUMNS, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * The orders with what a hotspot shows of them, their rows locked to COMMIT on a server, lowest id first (one
   * statement scanning the primary key in order, as WorkOrdersRepository.lockInIdOrder). Orders that do not exist are
   * left out.
   */
  async lockOrders(ids: readonly number[], manager: EntityManager): Promise<Map<number, HotspotOrder>> {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    if (sorted.length === 0) return new Map();
    const query = manager
      .createQueryBuilder(WorkOrder, 'wo')
      .select(Object.keys(ORDER_COLUMNS).map((column) => `wo.${column}`))
      .where('wo.id IN (:...ids)', { ids: sorted })
      .orderBy('wo.id', 'ASC');
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return new Map((await query.getMany()).map((row) => [row.id, row]));
  }

  /** Of the orders, those one of the units leads or assists (WorkOrderAccess's rule). */
  async idsVisibleTo(ids: readonly number[], unitIds: number[]): Promise<Set<number>> {
    if (ids.length === 0 || unitIds.length === 0) return new Set();
    const rows = await this.dataSource.manager
      .createQueryBuilder(WorkOrder, 'wo')
      .select('wo.id', 'id')
      .where('wo.id IN (:...ids)', { ids: [...new Set(ids)] })
      .andWhere(
        new Brackets((q) =>
          q
            .where('wo.leadUnitId IN (:...unitIds)', { unitIds })
            .orWhere('EXISTS (SELECT 1 FROM work_order_assisting_units wau WHERE wau.workOrderId = wo.id AND wau.unitId IN (:...unitIds))', { unitIds }),
        ),
      )
      .getRawMany<{ id: number | string }>();
    return new Set(rows.map((row) => Number(row.id)));
  }

  /**
   * One page of hotspots, largest first, then the fastest growing (orders of the last 7 days minus those of the 7
   * before, counted from `now`), then the latest; with the total.
   */
  async page(filters: HotspotFilters, now: Date, offset: number, limit: number): Promise<{ items: RankedHotspot[]; total: number }> {
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const twoWeeksAgo = new Date(now.getTime() - 14 * DAY_MS);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    const counted = (alias: string, condition: string) =>
      `(SELECT COUNT(*) FROM ${escape('matter_fingerprints')} ${alias} WHERE ${alias}.${escape('matterId')} = h.${escape('matterId')} AND ${condition})`;
    const recent = counted('fr', `fr.${escape('createdAt')} >= :weekAgo AND fr.${escape('createdAt')} <= :now`);
    const previous = counted('fp', `fp.${escape('createdAt')} >= :twoWeeksAgo AND fp.${escape('createdAt')} < :weekAgo`);
    const query = this.filtered(filters)
      .select('h.id', 'id')
      .addSelect(recent, 'recentCount')
      .addSelect(previous, 'previousCount')
      .addSelect(`${recent} - ${previous}`, 'growth')
      .setParameters({ weekAgo, twoWeeksAgo, now })
      .orderBy('h.memberCount', 'DESC')
      .addOrderBy('growth', 'DESC')
      .addOrderBy('h.lastAt', 'DESC')
      .addOrderBy('h.id', 'DESC')
      .offset(offset)
      .limit(limit);
    const [rows, total] = await Promise.all([
      query.getRawMany<{ id: number | string; recentCount: number | string; previousCount: number | string }>(),
      this.filtered(filters).getCount(),
    ]);
    const hotspots = rows.length === 0 ? [] : await this.dataSource.manager.find(Hotspot, { where: { id: In(rows.map((row) => Number(row.id))) } });
    const byId = new Map(hotspots.map((h) => [h.id, h]));
    const items = rows.flatMap((row) => {
      const hotspot = byId.get(Number(row.id));
      return hotspot ? [{ hotspot, recentCount: Number(row.recentCount), previousCount: Number(row.previousCount) }] : [];
    });
    return { items, total };
  }

  /** The matter's orders in the last 7 days and in the 7 days before `now`. */
  async growthOf(matterId: number, now: Date): Promise<{ recentCount: number; previousCount: number }> {
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const twoWeeksAgo = new Date(now.getTime() - 14 * DAY_MS);
    const rows = await this.dataSource.manager
      .createQueryBuilder(MatterFingerprint, 'f')
      .select(['f.workOrderId', 'f.createdAt'])
      .where('f.matterId = :matterId AND f.createdAt >= :twoWeeksAgo AND f.createdAt <= :now', { matterId, twoWeeksAgo, now })
      .getMany();
    const recentCount = rows.filter((row) => row.createdAt.getTime() >= weekAgo.getTime()).length;
    return { recentCount, previousCount: rows.length - recentCount };
  }

  /** Whether the hotspot has an order one of the units leads or assists (the list's scope, for one hotspot). */
  async isVisibleTo(hotspot: Pick<Hotspot, 'matterId'>, unitIds: number[]): Promise<boolean> {
    if (unitIds.length === 0) return false;
    const count = await this.dataSource.manager
      .createQueryBuilder(Hotspot, 'h')
      .where('h.matterId = :matterId', { matterId: hotspot.matterId })
      .andWhere(this.touchesUnits(unitIds))
      .getCount();
    return count > 0;
  }

  /**
   * The orders of each matter since each hotspot's firstAt, newest first: the ids (at most `perMatter` of each) and how
   * many there are in all.
   */
  async membersOf(hotspots: readonly Pick<Hotspot, 'matterId' | 'firstAt'>[], perMatter: number): Promise<Map<number, { ids: number[]; total: number }>> {
    const result = new Map<number, { ids: number[]; total: number }>();
    if (hotspots.length === 0) return result;
    const since = new Date(Math.min(...hotspots.map((h) => h.firstAt.getTime())));
    const rows = await this.dataSource.manager
      .createQueryBuilder(MatterFingerprint, 'f')
      .select(['f.workOrderId', 'f.matterId', 'f.createdAt'])
      .where('f.matterId IN (:...matterIds)', { matterIds: [...new Set(hotspots.map((h) => h.matterId))] })
      .andWhere('f.createdAt >= :since', { since })
      .orderBy('f.createdAt', 'DESC')
      .addOrderBy('f.workOrderId', 'DESC')
      .getMany();
    for (const hotspot of hotspots) {
      const own = rows.filter((row) => row.matterId === hotspot.matterId && row.createdAt.getTime() >= hotspot.firstAt.getTime());
      result.set(hotspot.matterId, { ids: own.slice(0, perMatter).map((row) => row.workOrderId), total: own.length });
    }
    return result;
  }

  private filtered(filters: HotspotFilters): SelectQueryBuilder<Hotspot> {
    const query = this.dataSource.manager.createQueryBuilder(Hotspot, 'h');
    if (filters.visibleUnitIds !== null) {
      if (filters.visibleUnitIds.length === 0) query.andWhere('1 = 0');
      else query.andWhere(this.touchesUnits(filters.visibleUnitIds));
    }
    if (filters.lastAtFrom) query.andWhere('h.lastAt >= :lastAtFrom', { lastAtFrom: filters.lastAtFrom });
    if (filters.districtUnitId !== undefined) query.andWhere('h.districtUnitId = :districtUnitId', { districtUnitId: filters.districtUnitId });
    if (filters.streetUnitId !== undefined) query.andWhere('h.streetUnitId = :streetUnitId', { streetUnitId: filters.streetUnitId });
    if (filters.categoryIds) query.andWhere('h.categoryId IN (:...categoryIds)', { categoryIds: filters.categoryIds });
    if (filters.from) query.andWhere('h.lastAt >= :from', { from: filters.from });
    if (filters.to) query.andWhere('h.firstAt < :to', { to: filters.to });
    return query;
  }

  /**
   * A hotspot one of the units sees: one of its matter's orders is led or assisted by one of them — the rule of
   * WorkOrderAccess (and of the lists) applied to the matter's orders.
   */
  private touchesUnits(unitIds: number[]): Brackets {
    return new Brackets((q) =>
      q.where(
        `EXISTS (SELECT 1 FROM matter_fingerprints hf INNER JOIN work_orders hwo ON hwo.id = hf.workOrderId
          WHERE hf.matterId = h.matterId AND (hwo.leadUnitId IN (:...hotspotUnitIds)
            OR EXISTS (SELECT 1 FROM work_order_assisting_units hwau WHERE hwau.workOrderId = hwo.id AND hwau.unitId IN (:...hotspotUnitIds))))`,
        { hotspotUnitIds: unitIds },
      ),
    );
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { MatterKey } from './entities/matter-key.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';

/** Rows per INSERT of keys: 3 parameters each. */
const KEY_INSERT_CHUNK = 300;

/** A member of a matter, as hotspots and repeats need it. */
export interface MatterMember {
  workOrderId: number;
  citizenPhone: string | null;
  createdAt: Date;
}

/** The detector's queries: its candidate index (matter_keys) and the fingerprints it compares. */
@Injectable()
export class MatterIndexRepository {
  constructor(@InjectRepository(MatterFingerprint) private readonly fingerprints: Repository<MatterFingerprint>) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.fingerprints.manager;
  }

  /**
   * The orders that share a key with the looked-at order, created at or after `since`: the newest `perKey` of each key
   * (a key many orders share — a big compound's name — cannot flood the answer), with how many keys each shares,
   * most shared first, at most `limit`.
   */
  async candidateIds(keys: readonly string[], since: Date, perKey: number, limit: number, excludeId: number | null, manager?: EntityManager): Promise<number[]> {
    if (keys.length === 0) return [];
    const m = this.manager(manager);
    const escape = (name: string) => m.connection.driver.escape(name);
    const one = `SELECT * FROM (SELECT ${escape('workOrderId')} AS ${escape('id')} FROM ${escape('matter_keys')} WHERE ${escape('key')} = ? AND ${escape('createdAt')} >= ? ORDER BY ${escape('createdAt')} DESC LIMIT ${wholeNumber(perKey)}) AS k`;
    const parameters: unknown[] = [];
    const sinceValue = m.connection.driver.preparePersistentValue(since, m.connection.getMetadata(MatterKey).findColumnWithPropertyName('createdAt')!) as unknown;
    const parts = keys.map((key, index) => {
      parameters.push(key, sinceValue);
      return one.replace(') AS k', `) AS k${index}`);
    });
    const rows: { id: number | string; hits: number | string }[] = await m.query(
      `SELECT ${escape('id')}, COUNT(*) AS ${escape('hits')} FROM (${parts.join(' UNION ALL ')}) AS u GROUP BY ${escape('id')} ORDER BY ${escape('hits')} DESC, ${escape('id')} DESC LIMIT ${wholeNumber(limit + 1)}`,
      parameters,
    );
    return rows.map((row) => Number(row.id)).filter((id) => id !== excludeId).slice(0, limit);
  }

  async fingerprintsOf(ids: readonly number[], manager?: EntityManager): Promise<MatterFingerprint[]> {
    if (ids.length === 0) return [];
    return this.manager(manager).find(MatterFingerprint, { where: { workOrderId: In([...ids]) } });
  }

  async fingerprintOf(workOrderId: number, manager?: EntityManager): Promise<MatterFingerprint | null> {
    return this.manager(manager).findOne(MatterFingerprint, { where: { workOrderId } });
  }

  /** Writes a newly registered order's fingerprint and its keys (each order is recorded once, after its registration). */
  async save(fingerprint: MatterFingerprint, keys: readonly string[], manager?: EntityManager): Promise<void> {
    const m = this.manager(manager);
    await m.insert(MatterFingerprint, fingerprint);
    const rows = keys.map((key) => ({ key, workOrderId: fingerprint.workOrderId, createdAt: fingerprint.createdAt }));
    for (let i = 0; i < rows.length; i += KEY_INSERT_CHUNK) {
      await m.createQueryBuilder().insert().into(MatterKey).values(rows.slice(i, i + KEY_INSERT_CHUNK)).orIgnore().execute();
    }
  }

  /** The features (JSON) of the newest `limit` recorded orders: what the term weights are learned from at start. */
  async newestFeatures(limit: number, manager?: EntityManager): Promise<string[]> {
    const rows = await this.manager(manager)
      .createQueryBuilder(MatterFingerprint, 'f')
      .select('f.features', 'features')
      .orderBy('f.workOrderId', 'DESC')
      .limit(wholeNumber(limit))
      .getRawMany<{ features: string }>();
    return rows.map((row) => row.features);
  }

  /** The orders of a matter created at or after `since` (all when since is null), oldest first. */
  async members(matterId: number, since: Date | null, manager?: EntityManager): Promise<MatterMember[]> {
    const query = this.manager(manager)
      .createQueryBuilder(MatterFingerprint, 'f')
      .select(['f.workOrderId', 'f.citizenPhone', 'f.createdAt'])
      .where('f.matterId = :matterId', { matterId })
      .orderBy('f.createdAt', 'ASC')
      .addOrderBy('f.workOrderId', 'ASC');
    if (since) query.andWhere('f.createdAt >= :since', { since });
    const rows = await query.getMany();
    return rows.map((row) => ({ workOrderId: row.workOrderId, citizenPhone: row.citizenPhone, createdAt: row.createdAt }));
  }

  /**
   * For each of the orders the detector recorded, its matter and whether that matter has an order whose status is one of
   * `openStatuses` (any of its orders, however old). Orders it never recorded are left out.
   */
  async matterStates(workOrderIds: readonly number[], openStatuses: readonly string[], manager?: EntityManager): Promise<Map<number, { matterId: number; matterOpen: boolean }>> {
    if (workOrderIds.length === 0) return new Map();
    const m = this.manager(manager);
    const own = await m.find(MatterFingerprint, { select: { workOrderId: true, matterId: true }, where: { workOrderId: In([...workOrderIds]) } });
    const matterIds = [...new Set(own.map((f) => f.matterId))];
    const open = new Set<number>();
    if (matterIds.length > 0 && openStatuses.length > 0) {
      const rows = await m
        .createQueryBuilder(MatterFingerprint, 'f')
        .innerJoin(WorkOrder, 'wo', 'wo.id = f.workOrderId')
        .select('DISTINCT f.matterId', 'matterId')
        .where('f.matterId IN (:...matterIds)', { matterIds })
        .andWhere('wo.status IN (:...openStatuses)', { openStatuses: [...openStatuses] })
        .getRawMany<{ matterId: number | string }>();
      for (const row of rows) open.add(Number(row.matterId));
    }
    return new Map(own.map((f) => [f.workOrderId, { matterId: f.matterId, matterOpen: open.has(f.matterId) }]));
  }
}

function wholeNumber(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Expected a whole number ≥ 0, not ${value}`);
  return value;
}

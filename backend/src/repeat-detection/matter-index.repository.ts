import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { MatterKey } from './entities/matter-key.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { dateFromRow } from '../database/columns';
import { PlainInserts, statementText } from '../database/plain-insert';
import { RECORD_MATTER_PROCEDURE } from '../database/migrations/1796700000000-MatterRecordedInOneCall';
import type { KeyRead } from './recent-recordings';

/** What recording an order asks of its matter (saveAndGlance). */
export interface GlanceQuestion {
  matterId: number;
  since: Date;
  until: Date;
  caller: { citizenPhone: string; since: Date; exceptId: number } | null;
  reaches: { minOrders: number; minCallers: number };
}

/** The caller's first order of the matter (a repeat's original), and whether the matter is big enough to be a hotspot. */
export interface MatterGlance {
  firstOfCallerId: number | null;
  reachesHotspot: boolean;
}

/** Rows per INSERT of keys: 3 parameters each. */
const KEY_INSERT_CHUNK = 300;

/** A candidate's fingerprint as the detector compares it (its features are kept in memory or read apart). */
export type CandidateFingerprint = Omit<MatterFingerprint, 'features' | 'workOrder'>;

/** The fingerprint columns a candidate is compared by (all but its features), as the lookups select them. */
const FINGERPRINT_COLUMNS = ['matterId', 'createdAt', 'citizenPhone', 'districtUnitId', 'streetUnitId', 'categoryId', 'requestType'] as const;

/** An order id with its fingerprint's columns, as the lookups read them (LEFT JOIN: nulls when it has none). */
interface FingerprintRow {
  id: number | string;
  matterId: number | string | null;
  createdAt: Date | string | null;
  citizenPhone: string | null;
  districtUnitId: number | string | null;
  streetUnitId: number | string | null;
  categoryId: number | string | null;
  requestType: string | null;
}

function fingerprintFromRow(row: FingerprintRow): CandidateFingerprint | null {
  if (row.matterId === null || row.createdAt === null || row.categoryId === null || row.requestType === null) return null;
  const orNull = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    workOrderId: Number(row.id),
    matterId: Number(row.matterId),
    createdAt: dateFromRow(row.createdAt),
    citizenPhone: row.citizenPhone,
    districtUnitId: orNull(row.districtUnitId),
    streetUnitId: orNull(row.streetUnitId),
    categoryId: Number(row.categoryId),
    requestType: row.requestType,
  };
}

/** What narrows a candidate lookup besides its keys and start (MatterIndexRepository.candidates). */
export interface CandidateBounds {
  /** Only orders created before this (exclusive). */
  before?: Date | null;
  /** What sharing the first key counts (by default as many as the keys looked up). */
  firstKeyWeight?: number;
}

/** A member of a matter, as hotspots and repeats need it. */
export interface MatterMember {
  workOrderId: number;
  citizenPhone: string | null;
  createdAt: Date;
}

/** The detector's queries: its candidate index (matter_keys) and the fingerprints it compares. */
@Injectable()
export class MatterIndexRepository {
  private readonly inserts = new PlainInserts();

  constructor(@InjectRepository(MatterFingerprint) private readonly fingerprints: Repository<MatterFingerprint>) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.fingerprints.manager;
  }

  /**
   * A date as the driver writes it into a statement of its own (m.query), like the values of `createdAt` — the same
   * column type in matter_keys and matter_fingerprints.
   */
  private dateValue(m: EntityManager, value: Date): unknown {
    return m.connection.driver.preparePersistentValue(value, m.connection.getMetadata(MatterKey).findColumnWithPropertyName('createdAt')!) as unknown;
  }

  /** The fingerprint table's name and columns, quoted for the engine, for the statements written out here. */
  private fingerprintNames(m: EntityManager): { q: (name: string) => string; fp: string; id: string; time: string; phone: string; matter: string } {
    const q = (name: string) => m.connection.driver.escape(name);
    return { q, fp: q('matter_fingerprints'), id: q('workOrderId'), time: q('createdAt'), phone: q('citizenPhone'), matter: q('matterId') };
  }

  /**
   * The ranges of several index keys in one UNION ALL: for each, `select` over the key's newest `limit` orders created
   * in [since, before) (no upper bound when `before` is null). A part with its own ORDER BY and LIMIT: in parentheses on
   * a server (MariaDB then reads each key's range straight into the union: ≈ 25 % less of its time than through a
   * derived table per key, measured on the intake benchmark's index), in a derived table on SQLite, which has no
   * parenthesised UNION parts.
   */
  private keyRangeUnion(
    m: EntityManager,
    ranges: readonly { select: string; key: string; since: Date; before: Date | null; limit: number }[],
  ): { sql: string; parameters: unknown[] } {
    const q = (name: string) => m.connection.driver.escape(name);
    const server = m.connection.options.type === 'mysql' || m.connection.options.type === 'mariadb';
    const parameters: unknown[] = [];
    const parts = ranges.map((range, index) => {
      parameters.push(range.key, this.dateValue(m, range.since));
      if (range.before) parameters.push(this.dateValue(m, range.before));
      const upTo = range.before ? ` AND ${q('createdAt')} < ?` : '';
      const part = `SELECT ${range.select} FROM ${q('matter_keys')} WHERE ${q('key')} = ? AND ${q('createdAt')} >= ?${upTo} ORDER BY ${q('createdAt')} DESC LIMIT ${wholeNumber(range.limit)}`;
      return server ? `(${part})` : `SELECT * FROM (${part}) AS k${index}`;
    });
    return { sql: parts.join(' UNION ALL '), parameters };
  }

  /**
   * The ids sharing a key (the newest `perKey` of each) with how many keys each shares: `limit + 1`, most shared first —
   * the orders sharing `firstKey` before all others (it counts as many as all the keys together).
   */
  private rankedCandidates(
    keys: readonly string[],
    firstKey: string | null,
    since: Date,
    perKey: number,
    limit: number,
    m: EntityManager,
    bounds: CandidateBounds,
  ): { sql: string; parameters: unknown[] } {
    const escape = (name: string) => m.connection.driver.escape(name);
    const { sql: union, parameters } = this.keyRangeUnion(
      m,
      keys.map((key) => ({
        select: `${escape('workOrderId')} AS ${escape('id')}, ${wholeNumber(key === firstKey ? (bounds.firstKeyWeight ?? keys.length) : 1)} AS ${escape('weight')}`,
        key,
        since,
        before: bounds.before ?? null,
        limit: perKey,
      })),
    );
    return {
      sql: `SELECT ${escape('id')}, SUM(${escape('weight')}) AS ${escape('hits')} FROM (${union}) AS u GROUP BY ${escape('id')} ORDER BY ${escape('hits')} DESC, ${escape('id')} DESC LIMIT ${wholeNumber(limit + 1)}`,
      parameters,
    };
  }

  /**
   * The orders that share a key with the looked-at order, created at or after `since`: the newest `perKey` of each key
   * (a key many orders share — a big compound's name — cannot flood the answer), those sharing `firstKey` (the
   * caller's: a repeat's original may share no other key among the newest of a busy matter) first, then the most keys
   * shared, at most
   * `limit` (`excludeId` left out), with their fingerprints (without features: the detector keeps those it read, they
   * never change), in one statement. An order whose fingerprint is missing keeps its place among the `limit` and is
   * left out of the answer. `bounds`: only orders created before `before`; `firstKey` counting `firstKeyWeight`
   * (by default as many as the keys).
   */
  async candidates(
    keys: readonly string[],
    since: Date,
    perKey: number,
    limit: number,
    excludeId: number | null,
    manager?: EntityManager,
    firstKey: string | null = null,
    bounds: CandidateBounds = {},
  ): Promise<CandidateFingerprint[]> {
    if (keys.length === 0) return [];
    const m = this.manager(manager);
    const q = (name: string) => m.connection.driver.escape(name);
    const { sql: ranked, parameters } = this.rankedCandidates(keys, firstKey, since, perKey, limit, m, bounds);
    const rows: FingerprintRow[] = await m.query(
      `SELECT c.${q('id')} AS ${q('id')}, ${FINGERPRINT_COLUMNS.map((column) => `f.${q(column)} AS ${q(column)}`).join(', ')}
         FROM (${ranked}) AS c LEFT JOIN ${q('matter_fingerprints')} f ON f.${q('workOrderId')} = c.${q('id')}
        ORDER BY c.${q('hits')} DESC, c.${q('id')} DESC`,
      parameters,
    );
    return rows
      .filter((row) => Number(row.id) !== excludeId)
      .slice(0, limit)
      .flatMap((row) => {
        const fingerprint = fingerprintFromRow(row);
        return fingerprint ? [fingerprint] : [];
      });
  }

  /**
   * For each key read, its newest `limit` orders created in [since, before), with their fingerprints (without
   * features; null when an order has none), in one statement: what the recent-orders window (RecentRecordings) does
   * not hold for certain. A row per key and order.
   */
  async keyEntries(reads: readonly KeyRead[], manager?: EntityManager): Promise<{ keyIndex: number; workOrderId: number; fingerprint: CandidateFingerprint | null }[]> {
    if (reads.length === 0) return [];
    const m = this.manager(manager);
    const q = (name: string) => m.connection.driver.escape(name);
    const { sql: union, parameters } = this.keyRangeUnion(
      m,
      reads.map((read) => ({ select: `${wholeNumber(read.keyIndex)} AS ${q('keyIndex')}, ${q('workOrderId')} AS ${q('id')}`, ...read })),
    );
    const rows: (FingerprintRow & { keyIndex: number | string })[] = await m.query(
      `SELECT u.${q('keyIndex')} AS ${q('keyIndex')}, u.${q('id')} AS ${q('id')}, ${FINGERPRINT_COLUMNS.map((column) => `f.${q(column)} AS ${q(column)}`).join(', ')}
         FROM (${union}) AS u LEFT JOIN ${q('matter_fingerprints')} f ON f.${q('workOrderId')} = u.${q('id')}`,
      parameters,
    );
    return rows.map((row) => ({ keyIndex: Number(row.keyIndex), workOrderId: Number(row.id), fingerprint: fingerprintFromRow(row) }));
  }

  /** The stored features (JSON) of these orders. */
  async featuresOf(ids: readonly number[], manager?: EntityManager): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.manager(manager).find(MatterFingerprint, { select: { workOrderId: true, features: true }, where: { workOrderId: In([...ids]) } });
    return new Map(rows.map((row) => [row.workOrderId, row.features]));
  }

  /** Of these orders, those recorded (with a fingerprint). */
  async recordedAmong(ids: readonly number[], manager?: EntityManager): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.manager(manager).find(MatterFingerprint, { select: { workOrderId: true }, where: { workOrderId: In([...new Set(ids)]) } });
    return new Set(rows.map((row) => Number(row.workOrderId)));
  }

  async fingerprintOf(workOrderId: number, manager?: EntityManager): Promise<MatterFingerprint | null> {
    return this.manager(manager).findOne(MatterFingerprint, { where: { workOrderId } });
  }

  /**
   * Writes a newly registered order's fingerprint and its keys (each order is recorded once, after its registration)
   * with plain INSERTs (PlainInserts) and, when `glance` is given, then glances at its matter (glanceStatement: what the
   * recording needs to know of it, the new order counted). On MariaDB/MySQL outside a transaction of the caller's —
   * every recording of the screening queue — all in one CALL of `record_matter` (migration MatterRecordedInOneCall):
   * one round trip, the INSERTs in one transaction. Otherwise (SQLite, a caller's transaction, more keys than one
   * INSERT takes) statement by statement. Answers the glance (null without one).
   */
  async saveAndGlance(fingerprint: MatterFingerprint, keys: readonly string[], glance: GlanceQuestion | null, manager?: EntityManager): Promise<MatterGlance | null> {
    const m = this.manager(manager);
    const one = this.inserts.statement(m, MatterFingerprint, [fingerprint]);
    const rows = keys.map((key) => ({ key, workOrderId: fingerprint.workOrderId, createdAt: fingerprint.createdAt }));
    const chunks: { sql: string; parameters: unknown[] }[] = [];
    for (let i = 0; i < rows.length; i += KEY_INSERT_CHUNK) chunks.push(this.inserts.statement(m, MatterKey, rows.slice(i, i + KEY_INSERT_CHUNK), { ignoreDuplicates: true }));
    const then = glance ? this.glanceStatement(m, glance) : null;
    const server = m.connection.options.type === 'mysql' || m.connection.options.type === 'mariadb';
    if (server && !manager && chunks.length === 1) {
      // mysql2 answers a CALL with the result sets of its SELECTs followed by the OK packet: [[row], header] or header.
      const answer: unknown = await m.query(`CALL \`${RECORD_MATTER_PROCEDURE}\`(?, ?, ?)`, [statementText(m, one), statementText(m, chunks[0]), then ? statementText(m, then) : null]);
      return then ? then.read(Array.isArray(answer) ? answer[0] : undefined) : null;
    }
    await m.query(one.sql, one.parameters);
    for (const chunk of chunks) await m.query(chunk.sql, chunk.parameters);
    return then ? then.read(await m.query(then.sql, then.parameters)) : null;
  }

  /** The features (JSON) and times of the newest `limit` recorded orders: what the term weights are learned from at start. */
  async newestFeatures(limit: number, manager?: EntityManager): Promise<{ features: string; createdAt: Date }[]> {
    const rows = await this.manager(manager)
      .createQueryBuilder(MatterFingerprint, 'f')
      .select('f.features', 'features')
      .addSelect('f.createdAt', 'createdAt')
      .orderBy('f.workOrderId', 'DESC')
      .limit(wholeNumber(limit))
      .getRawMany<{ features: string; createdAt: Date | string }>();
    return rows.map((row) => ({ features: row.features, createdAt: dateFromRow(row.createdAt) }));
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
   * What recording an order needs to know of its matter without counting it (a mass event's matter has thousands of
   * orders): the caller's first order of the matter from `caller.since` other than `caller.exceptId` (a repeat's original; one
   * range of the (matterId, citizenPhone, createdAt) index), and whether the matter has at least `minOrders` orders
   * from at least `minCallers` callers (each anonymous order counts as one) in [since, until] — each read only until
   * that many are found. One statement (saveAndGlance sends it after the recording's INSERTs).
   */
  private glanceStatement(m: EntityManager, ask: GlanceQuestion): { sql: string; parameters: unknown[]; read: (rows: unknown) => MatterGlance } {
    const { matterId, since, until, caller, reaches } = ask;
    const { q, fp, id, time, phone, matter } = this.fingerprintNames(m);
    const window = `${matter} = ? AND ${time} >= ? AND ${time} <= ?`;
    const windowParameters = [matterId, this.dateValue(m, since), this.dateValue(m, until)];
    const firstOfCaller = caller
      ? `(SELECT ${id} FROM ${fp} WHERE ${matter} = ? AND ${phone} = ? AND ${time} >= ? AND ${id} <> ? ORDER BY ${time}, ${id} LIMIT 1)`
      : 'NULL';
    return {
      sql: `SELECT ${firstOfCaller} AS ${q('firstOfCaller')},
              (SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${fp} WHERE ${window} LIMIT ${wholeNumber(reaches.minOrders)}) AS o) AS ${q('members')},
              (SELECT COUNT(*) FROM (SELECT DISTINCT ${phone} FROM ${fp} WHERE ${window} AND ${phone} IS NOT NULL LIMIT ${wholeNumber(reaches.minCallers)}) AS p) AS ${q('phones')},
              (SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${fp} WHERE ${window} AND ${phone} IS NULL LIMIT ${wholeNumber(reaches.minCallers)}) AS a) AS ${q('anonymous')}`,
      parameters: [...(caller ? [matterId, caller.citizenPhone, this.dateValue(m, caller.since), caller.exceptId] : []), ...windowParameters, ...windowParameters, ...windowParameters],
      read: (rows) => {
        const row = (Array.isArray(rows) ? rows[0] : undefined) as { firstOfCaller: number | string | null; members: number | string; phones: number | string; anonymous: number | string } | undefined;
        if (!row) throw new Error(`The glance at matter ${matterId} answered no row`);
        return {
          firstOfCallerId: row.firstOfCaller === null ? null : Number(row.firstOfCaller),
          reachesHotspot: Number(row.members) >= reaches.minOrders && Number(row.phones) + Number(row.anonymous) >= reaches.minCallers,
        };
      },
    };
  }

  /**
   * A matter's orders recorded after `after` (by time), oldest first, at most `limit`: each with whether its caller has
   * another order of the matter in [windowStart, after] (false for anonymous orders, which count as a caller each) —
   * what a hotspot whose counts were taken up to `after` adds when it grows.
   */
  async membersAfter(matterId: number, after: Date, windowStart: Date, limit: number, manager?: EntityManager): Promise<{ workOrderId: number; citizenPhone: string | null; createdAt: Date; callerSeen: boolean }[]> {
    const m = this.manager(manager);
    const { q, fp, id, time, phone, matter } = this.fingerprintNames(m);
    const rows: { id: number | string; citizenPhone: string | null; createdAt: Date | string; seen: number | string | null }[] = await m.query(
      `SELECT d.${id} AS ${q('id')}, d.${phone} AS ${q('citizenPhone')}, d.${time} AS ${q('createdAt')},
              (SELECT 1 FROM ${fp} s WHERE s.${matter} = d.${matter} AND s.${phone} = d.${phone} AND s.${time} >= ? AND s.${time} <= ? LIMIT 1) AS ${q('seen')}
         FROM ${fp} d
        WHERE d.${matter} = ? AND d.${time} > ?
        ORDER BY d.${time}, d.${id}
        LIMIT ${wholeNumber(limit)}`,
      [this.dateValue(m, windowStart), this.dateValue(m, after), matterId, this.dateValue(m, after)],
    );
    return rows.map((row) => ({ workOrderId: Number(row.id), citizenPhone: row.citizenPhone, createdAt: dateFromRow(row.createdAt), callerSeen: row.seen !== null && Number(row.seen) === 1 }));
  }

  /**
   * A matter's orders recorded from `since`, counted in the database — a busy matter (a
   * district's water cut: thousands of callers in an hour) is never read order by order: how many, how many callers
   * (each anonymous order counts as one), the first and the latest (by time, then id). Null when there are none.
   * With `latest`, in the same statement, the latest order's id and time (two reads of the end of an index range).
   */
  async matterSummary(
    matterId: number,
    since: Date,
    manager?: EntityManager,
    also: { latest?: boolean } = {},
  ): Promise<{ memberCount: number; callerCount: number; firstAt: Date; latest: { workOrderId: number; createdAt: Date } | null } | null> {
    const query = this.manager(manager)
      .createQueryBuilder(MatterFingerprint, 'f')
      .select('COUNT(*)', 'members')
      .addSelect('COUNT(DISTINCT f.citizenPhone) + SUM(CASE WHEN f.citizenPhone IS NULL THEN 1 ELSE 0 END)', 'callers')
      .addSelect('MIN(f.createdAt)', 'firstAt')
      .where('f.matterId = :matterId', { matterId })
      .andWhere('f.createdAt >= :since', { since });
    if (also.latest) {
      // The latest member's id and time: two reads of the end of the index range (matterId, createdAt).
      for (const [column, alias] of [['workOrderId', 'latestId'], ['createdAt', 'latestAt']] as const) {
        query.addSelect(
          (sub) =>
            sub
              .subQuery()
              .select(`l_${alias}.${column}`)
              .from(MatterFingerprint, `l_${alias}`)
              .where(`l_${alias}.matterId = :matterId`)
              .andWhere(`l_${alias}.createdAt >= :since`)
              .orderBy(`l_${alias}.createdAt`, 'DESC')
              .addOrderBy(`l_${alias}.workOrderId`, 'DESC')
              .limit(1),
          alias,
        );
      }
    }
    const row = await query.getRawOne<{
      members: number | string;
      callers: number | string | null;
      firstAt: Date | string | null;
      latestId?: number | string | null;
      latestAt?: Date | string | null;
    }>();
    if (!row || Number(row.members) === 0 || row.firstAt === null) return null;
    return {
      memberCount: Number(row.members),
      callerCount: Number(row.callers ?? 0),
      firstAt: dateFromRow(row.firstAt),
      latest: row.latestId === null || row.latestId === undefined || !row.latestAt ? null : { workOrderId: Number(row.latestId), createdAt: dateFromRow(row.latestAt) },
    };
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

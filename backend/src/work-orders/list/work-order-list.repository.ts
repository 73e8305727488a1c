import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { containsPattern, LIKE_ESCAPE, prefixPattern } from '../../common/sql-like';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { dateFromRow } from '../../database/columns';
import { isStatementTimeout, markStatementTimeout } from '../../database/database-errors';
import { statementTimeoutEngine, withStatementTimeoutSql } from '../../database/statement-timeout';
import { WorkOrder } from '../entities/work-order.entity';
import { OPEN_STATUSES, type Channel, type RequestType, type WarningLevel, type WorkOrderStatus } from '../work-order.enums';
import { afterCursorCondition, isAfterCursor, type ListCursor, type ListPlan, type ListRowValues, type ListSegment } from './list-plan';

/** What narrows a list, apart from its order and page. */
export interface WorkOrderListFilters {
  /** null: every unit (center staff); otherwise only orders led or assisted by these units. */
  visibleUnitIds: number[] | null;
  /** Only orders led by these units (a unit and the units below it). */
  leadUnitIds?: number[];
  status?: WorkOrderStatus;
  /** A category and every category below it. */
  categoryIds?: number[];
  requestType?: RequestType;
  channel?: Channel;
  warning?: Exclude<WarningLevel, 'none'>;
  createdFrom?: Date;
  createdTo?: Date;
  /** Only for callers who see full phone numbers (the service refuses it to unit staff). */
  citizenPhone?: string;
  /** 分派: orders assigned to this user. */
  assigneeId?: number;
  /** 协办逾期: an assisting part not submitted and past its due date at `now` (only these units' parts when given). */
  assistOverdue?: { now: Date; unitIds: number[] | null };
  /** 未办结: only these statuses (the open ones). */
  statuses?: readonly WorkOrderStatus[];
  /** 办结 in [closedFrom, closedTo). */
  closedFrom?: Date;
  closedTo?: Date;
  /** 督办件. */
  supervised?: boolean;
  /** 延期申请: a requested extension waits for the center's decision. */
  extensionRequested?: boolean;
  /** 下派: orders that have sub-orders. */
  hasChildren?: boolean;
  /** Order numbers starting with these digits (through the number's unique index). */
  numberPrefix?: string;
  /** Only these orders (the matches of a full-text search). */
  ids?: number[];
}

/** One row of a page as the index ranges deliver it: the order, its segment and its ordering value. */
export interface ListKey {
  id: number;
  segment: number;
  /** Epoch ms of the ordering column, or null when the segment orders by id. */
  value: number | null;
}

/** A SQL text with named parameters (`:name`, `:...list`), before the driver turns them into placeholders. */
export interface NamedQuery {
  sql: string;
  params: Record<string, unknown>;
}

/** More lead units than this are read as one IN range instead of one ordered index range per unit. */
const MAX_UNIT_BRANCHES = 16;
/** The status floor when no order has the status: later than any registration (DATETIME's range ends in 9999). */
const NO_ORDER_YET = new Date('9999-01-01T00:00:00.000Z');
/** How long the sizes that choose the assisting branch's join order are reused. */
const SIZE_CACHE_MS = 60_000;

/**
 * The list queries. Every list is read as a few index ranges in the list's order, each stopping after the page:
 * one per lead unit (on `leadUnitId, <column>, id`), one for the orders the units assist (from
 * `work_order_assisting_units.unitId`), and for the sorts that need it one per segment (see list-plan.ts). Their
 * rows are merged in the application, so no statement sorts or skips more than a page's worth of rows per range,
 * whatever the table's size. Totals are counted up to a cap.
 */
@Injectable()
export class WorkOrderListRepository {
  /** Per set of units: the orders table's size and how many assisting rows the units have (capped), and when read. */
  private readonly assistingSizes = new Map<string, { at: number; table: number; assisting: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The keys of the next `limit` rows after the cursor (or after skipping `offset` rows), in the plan's order.
   * `limit` is normally a page plus one, to know whether more follow. Segments are read one after the other, and
   * only while the page is not full: a later segment's rows always come after an earlier one's.
   */
  async pageKeys(
    filters: WorkOrderListFilters,
    plan: ListPlan,
    cursor: ListCursor | null,
    offset: number,
    limit: number,
    floor: Date | null,
    assisted: readonly ListRowValues[] | null = null,
  ): Promise<ListKey[]> {
    if (this.scopeBranches(filters).length === 0) return [];
    const wanted = offset + limit;
    const walk = assisted === null && (await this.walksAssisting(filters, wanted));
    const keys: ListKey[] = [];
    const seen = new Set<number>();
    for (let segment = cursor ? cursor.segment : 0; segment < plan.segments.length && keys.length < wanted; segment++) {
      const after = cursor?.segment === segment ? cursor : null;
      // With the assisted matches read already (assistedMatches), only the lead units' ranges are read here.
      const query = this.segmentQuery(filters, plan, segment, after, wanted, walk, floor, assisted !== null);
      const rows: { id: number | string; seg: number | string; k: Date | string | null }[] = query ? await this.run(query) : [];
      const found = rows.map((row) => ({ id: Number(row.id), segment: Number(row.seg), value: toEpoch(row.k) }));
      if (assisted) found.push(...assistedKeys(plan.segments[segment], segment, after, assisted));
      found.sort((a, b) => compareKeys(plan, a, b));
      for (const key of found) {
        if (seen.has(key.id)) continue;
        seen.add(key.id);
        keys.push(key);
      }
    }
    return keys.slice(offset, wanted);
  }

  /**
   * The statement that reads a segment's next rows: each scope branch ordered by an index and limited, joined with
   * UNION ALL. Null when the filters can match nothing.
   */
  private segmentQuery(
    filters: WorkOrderListFilters,
    plan: ListPlan,
    segmentIndex: number,
    cursor: ListCursor | null,
    perBranchLimit: number,
    walk: boolean,
    floor: Date | null,
    withoutAssisting = false,
  ): NamedQuery | null {
    const branches = this.scopeBranches(filters).filter((branch) => !withoutAssisting || branch.assistingUnits === null);
    if (branches.length === 0) return null;
    const segment = plan.segments[segmentIndex];
    const common = this.filterConditions(filters);
    const conditions = [...common.conditions];
    const params: Record<string, unknown> = { ...common.params, ...segment.params };
    if (segment.condition) conditions.push(segment.condition);
    if (cursor) {
      const after = afterCursorCondition(segment, cursor);
      conditions.push(after.sql);
      Object.assign(params, after.params);
    }
    const parts = branches.flatMap((branch) => {
      Object.assign(params, branch.params);
      const branchConditions = [...conditions, ...branch.conditions];
      const units = branch.assistingUnits;
      if (units === null) return [this.branchSql(branch, segment, segmentIndex, branchConditions, perBranchLimit, false)];
      const bounds = this.assistingBounds(filters, floor, params);
      // Newest first (or oldest first): one index range per unit on (unitId, orderCreatedAt, workOrderId), each
      // stopping after a page — never more rows than the page needs plus those the filters reject.
      if (segment.column === 'createdAt' && units.length <= MAX_UNIT_BRANCHES) {
        if (cursor && cursor.value !== null) {
          bounds.push(afterCursorCondition(segment, cursor, { column: 'wau.orderCreatedAt', id: 'wau.workOrderId' }).sql);
        }
        return units.map((unitId, i) => {
          params[`assisting${i}`] = unitId;
          return this.assistingRangeSql(i, segment, segmentIndex, [...bounds, ...branchConditions], perBranchLimit);
        });
      }
      // Walking the orders pays only in a segment where the units' orders are common; in a narrow one (a status, the
      // orders without a deadline) the walk could cross most of the range without finding a page.
      // A status filter makes even a dense segment narrow: the open orders of one status are a sliver of the table.
      const walks = walk && segment.dense && !filters.status;
      return [this.branchSql(branch, segment, segmentIndex, walks ? branchConditions : [...bounds, ...branchConditions], perBranchLimit, walks)];
    });
    return { sql: parts.map((part, i) => `SELECT * FROM (${part}) AS b${i}`).join(' UNION ALL '), params };
  }

  /**
   * How many rows match, counted up to `cap` (`cap + 1` when there are more): each branch stops after cap + 1
   * rows of an index range, so a count never scans the table.
   */
  async countUpTo(filters: WorkOrderListFilters, cap: number, floor: Date | null, assisted: readonly ListRowValues[] | null = null): Promise<number> {
    let total = 0;
    const branches = this.scopeBranches(filters, true);
    for (const [i, query] of this.countQueries(filters, cap, floor).entries()) {
      if (assisted && branches[i].assistingUnits) {
        total += assisted.length;
      } else {
        const rows: { n: number | string }[] = await this.run(query);
        total += Number(rows[0]?.n ?? 0);
      }
      if (total > cap) return cap + 1;
    }
    return total;
  }

  /**
   * The orders the visible units assist without leading them that match the filters, read whole in one statement
   * when a status floor bounds them (statusFloor) and they are at most `cap`: a unit's queue of open orders (a status)
   * is a few dozen of its assisting rows since the oldest order in that status, and reading them once serves both the
   * page (assistedKeys) and the count — otherwise each would look up every one of those rows' orders (a street's 566
   * rows, 12 % of them processing, at 5 M orders). Null when the list reads no such rows, without a floor, for a status
   * that is not an open one (closed orders reach back years: far more than `cap`), or when more than `cap` match
   * (then page and count read them as before).
   */
  async assistedMatches(filters: WorkOrderListFilters, floor: Date | null, cap: number): Promise<ListRowValues[] | null> {
    const branch = this.scopeBranches(filters, true).find((candidate) => candidate.assistingUnits !== null);
    const statuses = filters.status ? [filters.status] : (filters.statuses ?? []);
    if (floor === null || !branch || !statuses.every((status) => OPEN_STATUSES.includes(status))) return null;
    const query = this.assistedMatchesQuery(filters, branch, floor, cap);
    const rows = await this.run<{
      id: number | string;
      status: string;
      urgency: string;
      createdAt: Date | string;
      updatedAt: Date | string;
      replyDueAt: Date | string | null;
      acceptDueAt: Date | string | null;
    }>(query);
    if (rows.length > cap) return null;
    return rows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      urgency: row.urgency,
      createdAt: dateFromRow(row.createdAt).getTime(),
      updatedAt: dateFromRow(row.updatedAt).getTime(),
      replyDueAt: toEpoch(row.replyDueAt),
      acceptDueAt: toEpoch(row.acceptDueAt),
    }));
  }

  private assistedMatchesQuery(filters: WorkOrderListFilters, branch: ScopeBranch, floor: Date, cap: number): NamedQuery {
    const { where, params } = this.branchWhere(filters, branch, floor);
    const columns = 'wo.id AS id, wo.status AS status, wo.urgency AS urgency, wo.createdAt AS createdAt, wo.updatedAt AS updatedAt, wo.replyDueAt AS replyDueAt, wo.acceptDueAt AS acceptDueAt';
    return { sql: `SELECT DISTINCT ${columns} FROM ${this.fromAssisting(false)}${where} LIMIT ${cap + 1}`, params };
  }

  /**
   * A branch's whole condition (no segment, no cursor): the filters, the branch's scope and, for the assisting rows,
   * their bounds — what the count and the assisted matches read alike, so that the two always agree.
   */
  private branchWhere(filters: WorkOrderListFilters, branch: ScopeBranch, floor: Date | null): { where: string; params: Record<string, unknown> } {
    const common = this.filterConditions(filters);
    const params = { ...common.params, ...branch.params };
    const bounds = branch.assistingUnits ? this.assistingBounds(filters, floor, params) : [];
    const conditions = [...bounds, ...common.conditions, ...branch.conditions];
    return { where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '', params };
  }

  /** The statements countUpTo runs. Public for the EXPLAIN test. */
  countQueries(filters: WorkOrderListFilters, cap: number, floor: Date | null = null): NamedQuery[] {
    return this.scopeBranches(filters, true).map((branch) => {
      const { where, params } = this.branchWhere(filters, branch, floor);
      const inner = branch.assistingUnits
        ? `SELECT DISTINCT wo.id FROM ${this.fromAssisting(false)}${where}`
        : `SELECT wo.id FROM work_orders wo${where}`;
      return { sql: `SELECT COUNT(*) AS n FROM (${inner} LIMIT ${cap + 1}) AS c`, params };
    });
  }

  /** The orders with these ids, with their lead unit and category, in the order of `ids`. */
  async loadInOrder(ids: number[]): Promise<WorkOrder[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.manager.find(WorkOrder, { where: { id: In(ids) }, relations: { leadUnit: true, category: true } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is WorkOrder => row !== undefined);
  }

  /** Of these ids (in their order), the ones that match the filters. */
  async filterIds(ids: number[], filters: WorkOrderListFilters): Promise<number[]> {
    if (ids.length === 0) return [];
    const matching = new Set<number>();
    const common = this.filterConditions({ ...filters, ids });
    for (const branch of this.scopeBranches(filters, true)) {
      const conditions = [...common.conditions, ...branch.conditions];
      // From the given orders (by primary key) to their assisting rows, never the other way round.
      const sql = branch.assistingUnits
        ? `SELECT DISTINCT wo.id AS id FROM ${this.fromAssisting(true)} WHERE ${conditions.join(' AND ')}`
        : `SELECT wo.id AS id FROM work_orders wo WHERE ${conditions.join(' AND ')}`;
      const rows: { id: number | string }[] = await this.run({ sql, params: { ...common.params, ...branch.params } });
      for (const row of rows) matching.add(Number(row.id));
    }
    return ids.filter((id) => matching.has(id));
  }

  /** The highest order id (0 when there are none). */
  async highestId(): Promise<number> {
    const [row] = await this.run<{ n: number | string | null }>({ sql: 'SELECT MAX(id) AS n FROM work_orders', params: {} });
    return Number(row?.n ?? 0);
  }

  /**
   * The orders with `floorId ≤ id < beforeId` whose title, content or address contains every one of the terms,
   * highest id first, at most `limit` (null: all), only those the units lead or assist when `visibleUnitIds` is given
   * (the newest matches of a common word, see WorkOrderListService.keywordPage). Everyone's: one primary-key range,
   * each row's text read once. A unit's: only its own rows of the range are read — one range per lead unit on
   * (leadUnitId, id), and the rows of the orders it assists — a street leads a few percent of all orders, and the
   * newest matches of a word are mostly other units' (the whole range's text cost 6 times as much at 1 M orders).
   */
  async idsContaining(terms: readonly string[], floorId: number, beforeId: number, limit: number | null, visibleUnitIds: readonly number[] | null = null): Promise<number[]> {
    if (visibleUnitIds?.length === 0) return [];
    const query = visibleUnitIds === null ? this.containingQuery('wo.id AS id', terms, floorId, beforeId, limit) : this.visibleContainingQuery(terms, floorId, beforeId, limit, visibleUnitIds);
    const rows = await this.run<{ id: number | string }>(query);
    return rows.map((row) => Number(row.id));
  }

  /** As idsContaining, with each order's searchable text (number, title, address, content), for ranking them. */
  async textsContaining(terms: readonly string[], floorId: number, beforeId: number, limit: number): Promise<{ id: number; number: string; title: string; address: string; content: string }[]> {
    const rows = await this.run<{ id: number | string; number: string; title: string; address: string; content: string }>(
      this.containingQuery('wo.id AS id, wo.number AS number, wo.title AS title, wo.address AS address, wo.content AS content', terms, floorId, beforeId, limit),
    );
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  private containingQuery(columns: string, terms: readonly string[], floorId: number, beforeId: number, limit: number | null): NamedQuery {
    const params: Record<string, unknown> = { floorId, beforeId };
    return { sql: `SELECT ${columns} FROM work_orders wo WHERE wo.id >= :floorId AND wo.id < :beforeId AND ${containsAll(terms, params)} ORDER BY wo.id DESC${limitSql(limit)}`, params };
  }

  /**
   * containingQuery's ids for a unit's staff: the list's scope branches (scopeBranches) within the window — one range
   * per lead unit on (leadUnitId, id), and the orders the units assist while another unit (or none) leads them, each
   * once however many of the units assist it.
   */
  private visibleContainingQuery(terms: readonly string[], floorId: number, beforeId: number, limit: number | null, visibleUnitIds: readonly number[]): NamedQuery {
    const params: Record<string, unknown> = { floorId, beforeId };
    const words = containsAll(terms, params);
    const parts = this.scopeBranches({ visibleUnitIds: [...visibleUnitIds] }).map((branch) => {
      Object.assign(params, branch.params);
      const conditions = [...branch.conditions, words].join(' AND ');
      if (!branch.assistingUnits) return `SELECT wo.id AS id FROM work_orders wo WHERE ${conditions} AND wo.id >= :floorId AND wo.id < :beforeId ORDER BY wo.id DESC${limitSql(limit)}`;
      return (
        `SELECT DISTINCT wo.id AS id FROM work_order_assisting_units wau ${this.fixedJoin()} work_orders wo ON wo.id = wau.workOrderId ` +
        `WHERE wau.unitId IN (:...assistingUnits) AND wau.workOrderId >= :floorId AND wau.workOrderId < :beforeId AND ${conditions} ORDER BY wo.id DESC${limitSql(limit)}`
      );
    });
    return { sql: `SELECT id FROM (${parts.map((part, i) => `SELECT * FROM (${part}) AS v${i}`).join(' UNION ALL ')}) AS visible ORDER BY id DESC${limitSql(limit)}`, params };
  }

  /**
   * Runs a named query (Dates, lists and the engine's placeholders handled by the driver) under the list statement
   * time limit (LIST_QUERY_TIMEOUT_MS): a list that would take longer is stopped by the server and answered 503.
   */
  private async run<T>(query: NamedQuery): Promise<T[]> {
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(query.sql, query.params);
    const limitMs = this.config.queryTimeouts.listMs;
    const limited = withStatementTimeoutSql(sql, await statementTimeoutEngine(this.dataSource), limitMs);
    try {
      return await this.dataSource.manager.query<T[]>(limited, parameters);
    } catch (error) {
      if (isStatementTimeout(error)) markStatementTimeout(error, limitMs);
      throw error;
    }
  }

  /**
   * Conditions on the assisting rows' copy of the order's registration time (`wau.orderCreatedAt`) that the order's
   * own conditions imply — the registration window, and the status floor — so that reading from the assisting rows is
   * an index range on (unitId, orderCreatedAt) instead of every row the units ever had.
   */
  private assistingBounds(filters: WorkOrderListFilters, floor: Date | null, params: Record<string, unknown>): string[] {
    const bounds: string[] = [];
    if (filters.createdFrom) bounds.push('wau.orderCreatedAt >= :createdFrom');
    if (filters.createdTo) bounds.push('wau.orderCreatedAt < :createdTo');
    if (floor) {
      bounds.push('wau.orderCreatedAt >= :statusFloor');
      params.statusFloor = floor;
    }
    return bounds;
  }

  /**
   * With a status filter, the registration time of the oldest order in one of those statuses (one index probe per
   * status on `status, createdAt`): no order the list can show was registered before it. Open statuses hold recent
   * orders, so a unit's assisting rows are read from then on instead of from its first. A far-future time when no
   * order has the status; null without a status filter or when no branch reads assisting rows.
   */
  async statusFloor(filters: WorkOrderListFilters): Promise<Date | null> {
    const statuses = filters.status ? [filters.status] : filters.statuses ? [...filters.statuses] : [];
    if (statuses.length === 0 || !filters.visibleUnitIds || filters.visibleUnitIds.length === 0) return null;
    const params: Record<string, unknown> = {};
    const parts = statuses.map((status, i) => {
      params[`floorStatus${i}`] = status;
      return `SELECT MIN(createdAt) AS m FROM work_orders WHERE status = :floorStatus${i}`;
    });
    const rows = await this.run<{ m: Date | string | null }>({ sql: parts.map((part, i) => `SELECT m FROM (${part}) AS f${i}`).join(' UNION ALL '), params });
    const times = rows.map((row) => toEpoch(row.m)).filter((t): t is number => t !== null);
    return times.length === 0 ? NO_ORDER_YET : new Date(Math.min(...times));
  }

  /** One assisting unit's orders (`:assisting<i>`) in registration-time order, from its rows' index range. */
  private assistingRangeSql(unitIndex: number, segment: ListSegment, segmentIndex: number, conditions: string[], limit: number): string {
    const join = this.fixedJoin();
    const where = [`wau.unitId = :assisting${unitIndex}`, ...conditions].join(' AND ');
    const order = `wau.orderCreatedAt ${segment.direction}, wau.workOrderId ${segment.direction}`;
    return `SELECT wo.id AS id, ${segmentIndex} AS seg, wo.createdAt AS k FROM work_order_assisting_units wau ${join} work_orders wo ON wo.id = wau.workOrderId WHERE ${where} ORDER BY ${order} LIMIT ${limit}`;
  }

  private branchSql(branch: ScopeBranch, segment: ListSegment, segmentIndex: number, conditions: string[], limit: number, walk: boolean): string {
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const value = segment.column ? `wo.${segment.column}` : 'NULL';
    const order = segment.column ? `wo.${segment.column} ${segment.direction}, wo.id ${segment.direction}` : `wo.id ${segment.direction}`;
    if (!branch.assistingUnits) return `SELECT wo.id AS id, ${segmentIndex} AS seg, ${value} AS k FROM work_orders wo${where} ORDER BY ${order} LIMIT ${limit}`;
    if (!walk) return `SELECT DISTINCT wo.id AS id, ${segmentIndex} AS seg, ${value} AS k FROM ${this.fromAssisting(false)}${where} ORDER BY ${order} LIMIT ${limit}`;
    // Walking the orders in the list's order, an order assisted by several of the units comes once per unit: read
    // enough rows that the page is full after the duplicates are dropped.
    const rows = limit * Math.min(branch.assistingUnits.length, 16);
    return `SELECT wo.id AS id, ${segmentIndex} AS seg, ${value} AS k FROM ${this.fromAssisting(true)}${where} ORDER BY ${order} LIMIT ${rows}`;
  }

  /**
   * The orders the units assist, in one of two join orders, fixed so the optimizer cannot pick the bad one:
   * - from the units' assisting rows to their orders (`drive`), then sorted: reads every assisting row of the units
   *   and looks each order up — right when the units assist few orders;
   * - through the orders in the list's order (an index range), probing each for an assisting row (`walk`): stops
   *   after a page — right when the units assist many orders, where the first form would look up thousands.
   */
  private fromAssisting(walk: boolean): string {
    const join = this.fixedJoin();
    if (walk) return `work_orders wo ${join} work_order_assisting_units wau ON wau.workOrderId = wo.id AND wau.unitId IN (:...assistingUnits)`;
    return `work_order_assisting_units wau ${join} work_orders wo ON wo.id = wau.workOrderId AND wau.unitId IN (:...assistingUnits)`;
  }

  /** A join whose left table drives: SQLite's CROSS JOIN fixes the order as MariaDB's STRAIGHT_JOIN does (SQLite has none). */
  private fixedJoin(): string {
    return this.dataSource.options.type === 'better-sqlite3' ? 'CROSS JOIN' : 'STRAIGHT_JOIN';
  }

  /**
   * Whether the assisting branch walks the orders (see fromAssisting). Driving from the assisting rows costs about
   * one lookup per assisting row A; walking costs about N/A × rows probes for a table of N orders. Walking wins when
   * A > √(N × rows). SQLite (one site, small tables) always drives.
   */
  private async walksAssisting(filters: WorkOrderListFilters, rows: number): Promise<boolean> {
    const units = filters.visibleUnitIds;
    if (units === null || units.length === 0 || this.dataSource.options.type === 'better-sqlite3') return false;
    const key = [...units].sort((a, b) => a - b).join(',');
    const now = Date.now();
    let sizes = this.assistingSizes.get(key);
    if (!sizes || sizes.at < now - SIZE_CACHE_MS) {
      const table = await this.highestId();
      // Enough to decide for the deepest numbered page (2,000 orders + one page of 100).
      const cap = Math.ceil(Math.sqrt(table * 2_101 * 16)) + 1;
      const [{ a }] = await this.run<{ a: number | string }>({
        sql: `SELECT COUNT(*) AS a FROM (SELECT 1 FROM work_order_assisting_units WHERE unitId IN (:...units) LIMIT ${cap}) AS c`,
        params: { units },
      });
      sizes = { at: now, table, assisting: Number(a) };
      this.assistingSizes.set(key, sizes);
      if (this.assistingSizes.size > 10_000) this.assistingSizes.clear();
    }
    // The walk reads `rows` per unit (see branchSql): that is what it must find, and what it costs.
    return sizes.assisting > Math.sqrt(sizes.table * rows * Math.min(units.length, 16));
  }

  /**
   * Who may see which rows, as branches that are each one index range: everything (center staff); one branch per
   * lead unit (or one IN range when `merged` or there are many); and the orders the visible units assist without
   * leading them.
   */
  private scopeBranches(filters: WorkOrderListFilters, merged = false): ScopeBranch[] {
    const visible = filters.visibleUnitIds;
    const lead = filters.leadUnitIds;
    if (visible === null && lead === undefined) return [{ conditions: [], params: {}, assistingUnits: null }];
    const leadUnits = visible === null ? lead ?? [] : lead === undefined ? visible : lead.filter((id) => visible.includes(id));
    const branches: ScopeBranch[] = [];
    if (leadUnits.length > 0) {
      if (merged || leadUnits.length > MAX_UNIT_BRANCHES) {
        branches.push({ conditions: ['wo.leadUnitId IN (:...leadUnits)'], params: { leadUnits }, assistingUnits: null });
      } else {
        leadUnits.forEach((unitId, i) => branches.push({ conditions: [`wo.leadUnitId = :lead${i}`], params: { [`lead${i}`]: unitId }, assistingUnits: null }));
      }
    }
    if (visible !== null && visible.length > 0) {
      // Orders a visible unit assists while another unit (or none yet) leads them; with a lead-unit filter, only
      // those led by one of the filtered units that the caller does not see as lead.
      const otherLeads = lead?.filter((id) => !visible.includes(id));
      if (otherLeads === undefined) {
        branches.push({
          conditions: ['(wo.leadUnitId IS NULL OR wo.leadUnitId NOT IN (:...assistingUnits))'],
          params: { assistingUnits: visible },
          assistingUnits: visible,
        });
      } else if (otherLeads.length > 0) {
        branches.push({
          conditions: ['wo.leadUnitId IN (:...otherLeads)'],
          params: { assistingUnits: visible, otherLeads },
          assistingUnits: visible,
        });
      }
    }
    return branches;
  }

  private filterConditions(c: WorkOrderListFilters): { conditions: string[]; params: Record<string, unknown> } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = {};
    const add = (sql: string, values: Record<string, unknown> = {}) => {
      conditions.push(sql);
      Object.assign(params, values);
    };
    if (c.status) add('wo.status = :status', { status: c.status });
    if (c.statuses) add('wo.status IN (:...statuses)', { statuses: [...c.statuses] });
    if (c.supervised) add('wo.supervised = :supervised', { supervised: true });
    if (c.closedFrom) add('wo.closedAt >= :closedFrom', { closedFrom: c.closedFrom });
    if (c.closedTo) add('wo.closedAt < :closedTo', { closedTo: c.closedTo });
    if (c.extensionRequested) add('wo.extensionRequestedDueAt IS NOT NULL');
    if (c.hasChildren) add('EXISTS (SELECT 1 FROM work_orders child WHERE child.parentId = wo.id)');
    if (c.categoryIds) add(c.categoryIds.length === 1 ? 'wo.categoryId = :categoryId' : 'wo.categoryId IN (:...categoryIds)', { categoryId: c.categoryIds[0], categoryIds: c.categoryIds });
    if (c.requestType) add('wo.requestType = :requestType', { requestType: c.requestType });
    if (c.channel) add('wo.channel = :channel', { channel: c.channel });
    if (c.warning) add('wo.warningLevel = :warning', { warning: c.warning });
    if (c.createdFrom) add('wo.createdAt >= :createdFrom', { createdFrom: c.createdFrom });
    if (c.createdTo) add('wo.createdAt < :createdTo', { createdTo: c.createdTo });
    if (c.citizenPhone) add('wo.citizenPhone = :citizenPhone', { citizenPhone: c.citizenPhone });
    if (c.assigneeId !== undefined) add('wo.assigneeId = :assigneeId', { assigneeId: c.assigneeId });
    if (c.numberPrefix) add(`wo.number LIKE :numberPrefix ${LIKE_ESCAPE}`, { numberPrefix: prefixPattern(c.numberPrefix) });
    if (c.ids) add(c.ids.length > 0 ? 'wo.id IN (:...onlyIds)' : '1 = 0', { onlyIds: c.ids });
    if (c.assistOverdue) {
      const own = c.assistOverdue.unitIds ? ' AND wap.unitId IN (:...assistOverdueUnits)' : '';
      add(`EXISTS (SELECT 1 FROM work_order_assisting_units wap WHERE wap.workOrderId = wo.id AND wap.repliedAt IS NULL AND wap.dueAt < :assistNow${own})`, {
        assistNow: c.assistOverdue.now,
        assistOverdueUnits: c.assistOverdue.unitIds ?? [],
      });
    }
    return { conditions, params };
  }
}

interface ScopeBranch {
  conditions: string[];
  params: Record<string, unknown>;
  /** The orders these units assist (joined as `wau`), or null for a branch on the orders alone. */
  assistingUnits: number[] | null;
}

/** A DATETIME of a raw row (see dateFromRow) in epoch milliseconds. */
function toEpoch(value: Date | string | null): number | null {
  return value === null ? null : dateFromRow(value).getTime();
}

/** The keys of the assisted matches (assistedMatches) that fall in a segment, after the cursor when it is in that segment. */
function assistedKeys(segment: ListSegment, segmentIndex: number, cursor: ListCursor | null, assisted: readonly ListRowValues[]): ListKey[] {
  const keys: ListKey[] = [];
  for (const row of assisted) {
    if (!segment.admits(row)) continue;
    const key = { id: row.id, segment: segmentIndex, value: segment.column ? row[segment.column] : null };
    if (!cursor || isAfterCursor(segment, cursor, key)) keys.push(key);
  }
  return keys;
}

function compareKeys(plan: ListPlan, a: ListKey, b: ListKey): number {
  if (a.segment !== b.segment) return a.segment - b.segment;
  const sign = plan.segments[a.segment].direction === 'ASC' ? 1 : -1;
  if (a.value !== null && b.value !== null && a.value !== b.value) return sign * (a.value - b.value);
  return sign * (a.id - b.id);
}

/** Every term in the title, content or address (`:term<i>` added to params). */
function containsAll(terms: readonly string[], params: Record<string, unknown>): string {
  return terms
    .map((term, i) => {
      params[`term${i}`] = containsPattern(term);
      return `(wo.title LIKE :term${i} ${LIKE_ESCAPE} OR wo.content LIKE :term${i} ${LIKE_ESCAPE} OR wo.address LIKE :term${i} ${LIKE_ESCAPE})`;
    })
    .join(' AND ');
}

function limitSql(limit: number | null): string {
  return limit === null ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
}

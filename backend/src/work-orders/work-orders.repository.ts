import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, MoreThanOrEqual } from 'typeorm';
import { WorkOrderAssistingUnit } from './entities/work-order-assisting-unit.entity';
import { WorkOrderEvent } from './entities/work-order-event.entity';
import { WorkOrderLink } from './entities/work-order-link.entity';
import { WorkOrderReturn } from './entities/work-order-return.entity';
import { WorkOrder } from './entities/work-order.entity';
import { User } from '../users/user.entity';
import { OPEN_STATUSES } from './work-order.enums';
import { dateFromRow } from '../database/columns';
import { PlainInserts, statementText } from '../database/plain-insert';
import type { TimelineActor } from './timeline-actor';
import { COMPLETE_REGISTRATION_PROCEDURE } from '../database/migrations/1796410000000-RegistrationInOneCall';
import { REGISTER_WORK_ORDER_PROCEDURE } from '../database/migrations/1796500000000-RegistrationInOneStatement';
import { raw as rawSql } from 'mysql2';

/** Every query on work orders, their timeline, links and numbers. */
@Injectable()
export class WorkOrdersRepository {
  /** The INSERTs of the tables insertRow() writes, made on first use (one DataSource per repository: one engine). */
  private readonly inserts = new PlainInserts();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The database engine (DataSource type) the queries are written for. */
  get engine(): DataSource['options']['type'] {
    return this.dataSource.options.type;
  }

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  findById(id: number, manager?: EntityManager): Promise<WorkOrder | null> {
    return this.manager(manager).findOne(WorkOrder, {
      where: { id },
      relations: { leadUnit: true, category: true, assistingUnits: { unit: true } },
    });
  }

  /**
   * What `workOrder.changed` says of an order and whom it tells, as committed now, in one statement: no entity, no
   * relation loading (this runs after every action and after every repeat screening). Null when there is no such order.
   */
  async notificationFacts(id: number): Promise<OrderNotificationFacts | null> {
    return (await this.notificationFactsOf([id])).get(id) ?? null;
  }

  /** notificationFacts of several orders in one statement, by id (orders that do not exist are left out). */
  async notificationFactsOf(ids: readonly number[]): Promise<Map<number, OrderNotificationFacts>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const q = (name: string) => this.dataSource.driver.escape(name);
    const rows: {
      id: number | string;
      number: string;
      status: OrderNotificationFacts['status'];
      version: number | string;
      leadUnitId: number | string | null;
      parentLeadUnitId: number | string | null;
      assistingUnitIds: string | null;
      registeredById: number | string;
      assigneeId: number | string | null;
    }[] = await this.dataSource.query(
      `SELECT wo.${q('id')} AS ${q('id')}, wo.${q('number')} AS ${q('number')}, wo.${q('status')} AS ${q('status')}, wo.${q('version')} AS ${q('version')},
              wo.${q('leadUnitId')} AS ${q('leadUnitId')}, parent.${q('leadUnitId')} AS ${q('parentLeadUnitId')},
              (SELECT GROUP_CONCAT(wau.${q('unitId')}) FROM ${q('work_order_assisting_units')} wau WHERE wau.${q('workOrderId')} = wo.${q('id')}) AS ${q('assistingUnitIds')},
              wo.${q('registeredById')} AS ${q('registeredById')}, wo.${q('assigneeId')} AS ${q('assigneeId')}
         FROM ${q('work_orders')} wo LEFT JOIN ${q('work_orders')} parent ON parent.${q('id')} = wo.${q('parentId')}
        WHERE wo.${q('id')} IN (${unique.map(() => '?').join(', ')})`,
      unique,
    );
    const orNull = (value: number | string | null) => (value === null ? null : Number(value));
    return new Map(
      rows.map((row) => [
        Number(row.id),
        {
          id: Number(row.id),
          number: row.number,
          status: row.status,
          version: Number(row.version),
          leadUnitId: orNull(row.leadUnitId),
          parentLeadUnitId: orNull(row.parentLeadUnitId),
          assistingUnitIds: row.assistingUnitIds ? String(row.assistingUnitIds).split(',').map(Number) : [],
          registeredById: Number(row.registeredById),
          assigneeId: orNull(row.assigneeId),
        },
      ]),
    );
  }

  /** The orders' own columns (no relations), by id; orders that do not exist are left out. */
  async findPlainByIds(ids: readonly number[]): Promise<Map<number, WorkOrder>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(WorkOrder, { where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  findSummaries(ids: number[], manager?: EntityManager): Promise<WorkOrder[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.manager(manager).find(WorkOrder, { where: { id: In(ids) }, relations: { leadUnit: true }, order: { id: 'ASC' } });
  }

  /**
   * What a list of similar orders shows of each (id, number, title, address, status, time), by id: only those columns
   * — the registration answers its candidates with them, and reading whole rows (the content) with their lead unit
   * for ten candidates cost a registration more than its own row did. One plain statement: it runs on every
   * registration with the repeat detector on, where building it with TypeORM's query builder cost more CPU than the read.
   */
  async similarOrderFacts(ids: readonly number[]): Promise<Map<number, Pick<WorkOrder, 'id' | 'number' | 'title' | 'address' | 'status' | 'createdAt'>>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const q = (name: string) => this.dataSource.driver.escape(name);
    const rows: { id: number | string; number: string; title: string; address: string; status: WorkOrder['status']; createdAt: Date | string }[] =
      await this.dataSource.query(
        `SELECT ${['id', 'number', 'title', 'address', 'status', 'createdAt'].map(q).join(', ')} FROM ${q('work_orders')} WHERE ${q('id')} IN (${unique.map(() => '?').join(', ')})`,
        unique,
      );
    return new Map(
      rows.map((row) => {
        const id = Number(row.id);
        return [id, { id, number: row.number, title: row.title, address: row.address, status: row.status, createdAt: dateFromRow(row.createdAt) }];
      }),
    );
  }

  childrenOf(parentId: number, manager?: EntityManager): Promise<WorkOrder[]> {
    return this.manager(manager).find(WorkOrder, { where: { parentId }, relations: { leadUnit: true }, order: { id: 'ASC' } });
  }

  async hasOpenChildren(parentId: number, manager?: EntityManager): Promise<boolean> {
    const count = await this.manager(manager).count(WorkOrder, { where: { parentId, status: In([...OPEN_STATUSES]) } });
    return count > 0;
  }

  async insert(order: Partial<WorkOrder>, manager: EntityManager): Promise<WorkOrder> {
    return manager.save(WorkOrder, manager.create(WorkOrder, order));
  }

  /**
   * Registration's insert: every column given, one INSERT and nothing else — no re-select of defaults (save() would
   * read the row back), no entity listeners. The id comes from the driver's answer (insertId / lastInsertRowid).
   */
  async insertComplete(order: NewWorkOrderRow, manager: EntityManager): Promise<number> {
    return this.insertRow(WorkOrder, order, manager);
  }

  /**
   * One INSERT of a row that gives every column, with its SQL made once per table: building it with the query builder
   * on every registration costs more CPU than better-sqlite3 takes to run it, and on MariaDB that CPU falls inside the
   * stretch where the daily sequence row is locked. The values go through the driver's preparePersistentValue, as the
   * query builder would send them (dates, booleans, simple-json). Returns the generated id.
   */
  private async insertRow(target: typeof WorkOrder | typeof WorkOrderEvent, row: object, manager: EntityManager): Promise<number> {
    const { sql, parameters } = this.insertStatement(target, row, manager);
    return insertedId(await manager.query(sql, parameters));
  }

  /**
   * The INSERT of a row that gives every column (see insertRow) and its values, as the driver is to send them;
   * `sqlValues`: SQL expressions (mysql2's raw) for some of the columns instead of the row's values.
   */
  private insertStatement(
    target: typeof WorkOrder | typeof WorkOrderEvent,
    row: object,
    manager: EntityManager,
    sqlValues: Record<string, unknown> = {},
  ): { sql: string; parameters: unknown[] } {
    return this.inserts.statement(manager, target, [row], { sqlValues });
  }

  /**
   * Writes the changes only if nobody changed the order since `expectedVersion` was read,
   * and moves the version on. False means a concurrent change won.
   */
  async updateIfVersion(
    id: number,
    expectedVersion: number,
    changes: Partial<WorkOrder>,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(WorkOrder)
      .set({ ...changes, version: expectedVersion + 1 })
      .where('id = :id AND version = :version', { id, version: expectedVersion })
      .execute();
    return result.affected === 1;
  }

  /**
   * Makes the order's assisting units exactly `unitIds`. Deliberately not "DELETE WHERE workOrderId = ?"
   * then INSERT: on InnoDB a DELETE that matches nothing still takes a next-key (gap) lock on the index, and
   * two dispatches of neighbouring orders holding the same gap then block each other's inserts — a
   * deadlock. Here the current rows are read without locks (the caller already holds the order row, so
   * nobody else changes them), only the rows that must go are deleted, by primary key (record locks only),
   * and only the new ones are inserted.
   */
  async replaceAssistingUnits(order: Pick<WorkOrder, 'id' | 'createdAt'>, unitIds: number[], manager: EntityManager, dueAt: Date | null = null): Promise<void> {
    const workOrderId = order.id;
    const current = (await manager.find(WorkOrderAssistingUnit, { where: { workOrderId } })).map((row) => row.unitId);
    const wanted = [...new Set(unitIds)];
    for (const unitId of current.filter((id) => !wanted.includes(id)).sort((a, b) => a - b)) {
      await manager.delete(WorkOrderAssistingUnit, { workOrderId, unitId });
    }
    // A unit that stays on the order (改派 to another lead) keeps the part it submitted, with the new due date.
    for (const unitId of current.filter((id) => wanted.includes(id)).sort((a, b) => a - b)) {
      await manager.update(WorkOrderAssistingUnit, { workOrderId, unitId }, { dueAt });
    }
    const added = wanted.filter((id) => !current.includes(id)).sort((a, b) => a - b);
    if (added.length > 0) {
      await manager.insert(
        WorkOrderAssistingUnit,
        added.map((unitId) => ({ workOrderId, unitId, orderCreatedAt: order.createdAt, dueAt, reply: null, repliedAt: null, repliedById: null, lateMinutes: null })),
      );
    }
  }

  /** 协办: records an assisting unit's part (its row exists: the rule table only lets an assisting unit submit). */
  async saveAssistingPart(
    workOrderId: number,
    unitId: number,
    part: Pick<WorkOrderAssistingUnit, 'reply' | 'repliedAt' | 'repliedById' | 'lateMinutes'>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(WorkOrderAssistingUnit, { workOrderId, unitId }, part);
  }

  /** A user as the assignment needs them (inside the action's transaction): unit, role, whether active, name. */
  findUserForAssignment(id: number, manager: EntityManager): Promise<Pick<User, 'id' | 'displayName' | 'role' | 'unitId' | 'active'> | null> {
    return manager.findOne(User, { select: { id: true, displayName: true, role: true, unitId: true, active: true }, where: { id } });
  }

  /** Id and display name of these users (the orders' assignees), nothing else about them. */
  async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id): id is number => id !== null))];
    if (unique.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(User, { select: { id: true, displayName: true }, where: { id: In(unique) } });
    return new Map(rows.map((row) => [row.id, row.displayName]));
  }

  /**
   * Takes the write locks on the rows of the given orders, lowest id first (one statement scanning the
   * primary key in order), and returns them as they are now — a locking read sees the latest committed
   * state, not the transaction's snapshot. Every action that writes to two orders takes both this way, so
   * two such actions on the same pair wait for each other instead of deadlocking. SQLite runs one
   * transaction at a time, so a plain read is already current there.
   */
  async lockInIdOrder(ids: number[], manager: EntityManager): Promise<WorkOrder[]> {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    if (sorted.length === 0) return [];
    const query = manager.createQueryBuilder(WorkOrder, 'wo').where('wo.id IN (:...ids)', { ids: sorted }).orderBy('wo.id', 'ASC');
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return query.getMany();
  }

  /** Ids of orders merged into the target. */
  /** The orders merged into the target that still wait on it (status `merged`; those that closed with it keep mergedIntoId for the record). */
  async mergedIdsInto(targetId: number, manager?: EntityManager): Promise<number[]> {
    const rows = await this.manager(manager).find(WorkOrder, { select: { id: true }, where: { mergedIntoId: targetId, status: 'merged' }, order: { id: 'ASC' } });
    return rows.map((r) => r.id);
  }

  /** Open child orders of a parent, with their deadlines. */
  openChildrenOf(parentId: number, manager: EntityManager): Promise<WorkOrder[]> {
    return manager.find(WorkOrder, { where: { parentId, status: In([...OPEN_STATUSES]) }, order: { id: 'ASC' } });
  }

  /** Of the given orders, the ids that any of the units leads or assists. */
  async idsLedOrAssistedByAny(workOrderIds: number[], unitIds: number[]): Promise<Set<number>> {
    if (workOrderIds.length === 0 || unitIds.length === 0) return new Set();
    const rows: { id: number }[] = await this.dataSource.manager
      .createQueryBuilder(WorkOrder, 'wo')
      .select('wo.id', 'id')
      .where('wo.id IN (:...workOrderIds)', { workOrderIds })
      .andWhere(this.visibleToUnits(unitIds))
      .getRawMany();
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * The earliest reply deadline since `since` that a supervision (manual or automatic) replaced after it had
   * already passed — the deadline the unit first missed in this round — or null when none was.
   */
  async earliestMissedReplyDeadline(workOrderId: number, since: Date, manager: EntityManager): Promise<Date | null> {
    const supervisions = await manager.find(WorkOrderEvent, {
      select: { id: true, createdAt: true, payload: true },
      where: { workOrderId, action: 'supervise', createdAt: MoreThanOrEqual(since) },
      order: { id: 'ASC' },
    });
    for (const event of supervisions) {
      const previous = event.payload?.previousReplyDueAt;
      if (typeof previous !== 'string') continue;
      const missed = new Date(previous);
      if (!Number.isNaN(missed.getTime()) && missed < event.createdAt) return missed;
    }
    return null;
  }

  /** The timeline is append-only: this is the only write there is. */
  async appendEvent(event: Omit<WorkOrderEvent, 'id' | 'workOrder'>, manager: EntityManager): Promise<WorkOrderEvent> {
    // One INSERT: every column is given, so there is nothing to read back.
    const id = await this.insertRow(WorkOrderEvent, event, manager);
    return Object.assign(new WorkOrderEvent(), event, { id });
  }

  /** Several timeline entries in one INSERT (the same rule: appended, never changed). */
  async appendEvents(events: readonly Omit<WorkOrderEvent, 'id' | 'workOrder'>[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const { sql, parameters } = this.inserts.statement(manager, WorkOrderEvent, events);
    await manager.query(sql, parameters);
  }

  /** The calls whose IVR survey the order's timeline records (`call-survey` entries). */
  async callSurveyCallIds(workOrderId: number, manager: EntityManager): Promise<string[]> {
    const events = await manager.find(WorkOrderEvent, { select: { id: true, payload: true }, where: { workOrderId, action: 'call-survey' } });
    return events.map((event) => event.payload?.callId).filter((callId): callId is string => typeof callId === 'string');
  }

  timeline(workOrderId: number): Promise<WorkOrderEvent[]> {
    return this.dataSource.manager.find(WorkOrderEvent, { where: { workOrderId }, order: { id: 'ASC' } });
  }

  async insertReturn(row: Omit<WorkOrderReturn, 'id' | 'decision' | 'decidedAt' | 'decidedById'>, manager: EntityManager): Promise<void> {
    await manager.insert(WorkOrderReturn, { ...row, decision: null, decidedAt: null, decidedById: null });
  }

  /** Records the decision on the order's return request that is still waiting (none: nothing to do). */
  async decidePendingReturn(workOrderId: number, decision: 'approved' | 'rejected', decidedById: number, at: Date, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(WorkOrderReturn)
      .set({ decision, decidedAt: at, decidedById })
      .where('workOrderId = :workOrderId AND decision IS NULL', { workOrderId })
      .execute();
  }

  /** The order's return requests, oldest first, with the returning and the suggested unit. */
  returnsOf(workOrderId: number): Promise<WorkOrderReturn[]> {
    return this.dataSource.manager.find(WorkOrderReturn, {
      where: { workOrderId },
      relations: { unit: true, suggestedUnit: true },
      order: { id: 'ASC' },
    });
  }

  async insertLink(lowerWorkOrderId: number, higherWorkOrderId: number, createdById: number, at: Date, manager: EntityManager): Promise<void> {
    await manager.insert(WorkOrderLink, { lowerWorkOrderId, higherWorkOrderId, createdById, createdAt: at });
  }

  async linkExists(lowerWorkOrderId: number, higherWorkOrderId: number, manager: EntityManager): Promise<boolean> {
    return (await manager.count(WorkOrderLink, { where: { lowerWorkOrderId, higherWorkOrderId } })) > 0;
  }

  async linkedIds(workOrderId: number): Promise<number[]> {
    const links = await this.dataSource.manager.find(WorkOrderLink, {
      where: [{ lowerWorkOrderId: workOrderId }, { higherWorkOrderId: workOrderId }],
      order: { id: 'ASC' },
    });
    return links.map((l) => (l.lowerWorkOrderId === workOrderId ? l.higherWorkOrderId : l.lowerWorkOrderId));
  }

  mergedInto(targetId: number): Promise<WorkOrder[]> {
    return this.dataSource.manager.find(WorkOrder, { where: { mergedIntoId: targetId }, relations: { leadUnit: true }, order: { id: 'ASC' } });
  }

  /** Whether any of the units leads or assists the order. */
  async isLedOrAssistedByAny(workOrderId: number, unitIds: number[], manager?: EntityManager): Promise<boolean> {
    const count = await this.manager(manager)
      .createQueryBuilder(WorkOrder, 'wo')
      .where('wo.id = :workOrderId', { workOrderId })
      .andWhere(this.visibleToUnits(unitIds))
      .getCount();
    return count > 0;
  }

  assistingUnitsOf(workOrderIds: number[]): Promise<WorkOrderAssistingUnit[]> {
    if (workOrderIds.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(WorkOrderAssistingUnit, {
      where: { workOrderId: In(workOrderIds) },
      relations: { unit: true },
    });
  }

  /** Hands out the next number of the day atomically: one statement, safe under concurrency on both engines. */
  async nextDailySequence(day: string, manager: EntityManager): Promise<number> {
    if (manager.connection.options.type !== 'better-sqlite3') {
      // LAST_INSERT_ID(expr) makes the value the statement's insert id: the OK packet carries it, no SELECT needed.
      const result: { insertId?: number | string } = await manager.query(
        'INSERT INTO `daily_sequences` (`day`, `lastValue`) VALUES (?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE `lastValue` = LAST_INSERT_ID(`lastValue` + 1)',
        [day],
      );
      const value = Number(result.insertId);
      if (!Number.isInteger(value) || value < 1) throw new Error(`The daily sequence of ${day} answered no insert id (${JSON.stringify(result)})`);
      return value;
    }
    const rows: { lastValue: number }[] = await manager.query(
      'INSERT INTO "daily_sequences" ("day", "lastValue") VALUES (?, 1) ON CONFLICT("day") DO UPDATE SET "lastValue" = "lastValue" + 1 RETURNING "lastValue"',
      [day],
    );
    return Number(rows[0].lastValue);
  }

  /**
   * MariaDB/MySQL: the rest of a registration in one CALL of the `complete_registration` procedure (migration
   * RegistrationInOneCall): the first timeline event, the search outbox row (`searchOutbox`), the repeat screening
   * queue row (`screeningQueuedAt`), the day's next number drawn and written into the just-inserted order (the time of
   * the order and its event raised to the previous number's when later), and the COMMIT when `commit` (the
   * transaction must be the caller's own, not nested, with nothing left to write). Returns the number, how many
   * microseconds the time was raised by and the event's id.
   */
  async completeRegistration(
    call: {
      day: string;
      digits: number;
      orderId: number;
      at: Date;
      actor: TimelineActor;
      payload: Record<string, unknown>;
      searchOutbox: boolean;
      screeningQueuedAt: Date | null;
      commit: boolean;
    },
    manager: EntityManager,
  ): Promise<{ number: string; raisedByMicroseconds: number; eventId: number }> {
    const payloadColumn = manager.connection.getMetadata(WorkOrderEvent).findColumnWithPropertyName('payload')!;
    // mysql2 answers a CALL with its result sets followed by the OK packet: [[{ number, raisedByMicroseconds, eventId }], header].
    const raw: unknown = await manager.query(`CALL \`${COMPLETE_REGISTRATION_PROCEDURE}\`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      call.day,
      call.digits,
      call.orderId,
      call.at,
      ...actorParameters(call.actor),
      manager.connection.driver.preparePersistentValue(call.payload, payloadColumn) as unknown,
      call.searchOutbox,
      call.screeningQueuedAt,
      call.commit,
    ]);
    const row = Array.isArray(raw) && Array.isArray(raw[0]) ? (raw[0][0] as { number?: unknown; raisedByMicroseconds?: unknown; eventId?: unknown } | undefined) : undefined;
    if (typeof row?.number !== 'string') throw new Error(`The registration of order ${call.orderId} was not completed (${JSON.stringify(raw)})`);
    return { number: row.number, raisedByMicroseconds: Number(row.raisedByMicroseconds ?? 0), eventId: Number(row.eventId) };
  }

  /**
   * MariaDB/MySQL: a whole registration without attachments in one CALL of the `register_work_order` procedure
   * (migration RegistrationInOneStatement), in a transaction of its own: the day's next number drawn (the time raised
   * to the previous number's when later), the order inserted with them (its INSERT as text, escaped as mysql2 escapes
   * every statement it sends, its number and times the procedure's session variables: `order.number` is not used), its
   * first event, the outbox and queue rows, COMMIT, and the search index row after COMMIT when `search` is given
   * (Mroonga). Never inside a transaction of the caller's. Returns the order's id, its number, how many microseconds
   * its time was raised by, the event's id and whether the index row was written (false: the outbox row stays for the
   * catch-up sweep, and `indexError` says why: the server's error number and message).
   */
  async registerInOneStatement(call: {
    order: NewWorkOrderRow;
    day: string;
    digits: number;
    at: Date;
    actor: TimelineActor;
    payload: Record<string, unknown>;
    screeningQueuedAt: Date | null;
    search: { title: string; bodyAfterNumber: string } | null;
  }): Promise<{ id: number; number: string; raisedByMicroseconds: number; eventId: number; indexed: boolean; indexError: string | null }> {
    const manager = this.dataSource.manager;
    // The number and the time are the procedure's (drawn and, when need be, raised there): session variables it sets.
    const drawn = { number: rawSql('@jiesu_register_number'), createdAt: rawSql('@jiesu_register_at'), updatedAt: rawSql('@jiesu_register_at'), deadlineCheckAt: rawSql('@jiesu_register_at') };
    const insert = this.insertStatement(WorkOrder, call.order, manager, drawn);
    const payloadColumn = this.dataSource.getMetadata(WorkOrderEvent).findColumnWithPropertyName('payload')!;
    // mysql2 answers a CALL with its result sets followed by the OK packet: [[{ id, number, … }], header].
    const raw: unknown = await manager.query(`CALL \`${REGISTER_WORK_ORDER_PROCEDURE}\`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      // The values as driver.preparePersistentValue gives them: dates, numbers, strings, booleans, null.
      statementText(manager, insert),
      call.day,
      call.digits,
      call.at,
      ...actorParameters(call.actor),
      this.dataSource.driver.preparePersistentValue(call.payload, payloadColumn) as unknown,
      call.screeningQueuedAt,
      call.search?.title ?? null,
      call.search?.bodyAfterNumber ?? null,
    ]);
    const row = Array.isArray(raw) && Array.isArray(raw[0])
      ? (raw[0][0] as { id?: unknown; number?: unknown; raisedByMicroseconds?: unknown; eventId?: unknown; indexed?: unknown; indexError?: unknown } | undefined)
      : undefined;
    if (typeof row?.number !== 'string') throw new Error(`The registration was not completed (${JSON.stringify(raw)})`);
    return {
      id: insertedId(row.id),
      number: row.number,
      raisedByMicroseconds: Number(row.raisedByMicroseconds ?? 0),
      eventId: insertedId(row.eventId),
      indexed: Number(row.indexed) === 1,
      indexError: typeof row.indexError === 'string' ? row.indexError : null,
    };
  }

  private visibleToUnits(unitIds: number[]): Brackets {
    return new Brackets((q) =>
      q
        .where('wo.leadUnitId IN (:...visibleUnitIds)', { visibleUnitIds: unitIds })
        .orWhere(
          'EXISTS (SELECT 1 FROM work_order_assisting_units wau WHERE wau.workOrderId = wo.id AND wau.unitId IN (:...visibleUnitIds))',
          { visibleUnitIds: unitIds },
        ),
    );
  }
}

/** The columns of a new order: all of them, so that one INSERT writes the row the response is built from. */
export type NewWorkOrderRow = Omit<
  WorkOrder,
  'id' | 'parent' | 'mergedInto' | 'districtUnit' | 'streetUnit' | 'category' | 'leadUnit' | 'assistingUnits' | 'assignee'
>;

/** The id of the row an INSERT created: mysql2 answers a ResultSetHeader (insertId), better-sqlite3 lastInsertRowid. */
/** A timeline actor as the registration procedures take it: id, name, role, unit id, unit name. */
function actorParameters(actor: TimelineActor): unknown[] {
  return [actor.actorId, actor.actorName, actor.actorRole, actor.unitId, actor.unitName];
}

function insertedId(raw: unknown): number {
  const id = Number(typeof raw === 'object' && raw !== null && 'insertId' in raw ? raw.insertId : raw);
  if (!Number.isInteger(id) || id < 1) throw new Error(`The INSERT answered no generated id (${String(raw)})`);
  return id;
}

/** An order as workOrder.changed describes it, and the units and users it concerns (WorkOrdersRepository.notificationFacts). */
export interface OrderNotificationFacts {
  id: number;
  number: string;
  status: WorkOrder['status'];
  version: number;
  leadUnitId: number | null;
  /** The lead unit of the order's parent (a sub-dispatched order also concerns the unit that split it off). */
  parentLeadUnitId: number | null;
  assistingUnitIds: number[];
  registeredById: number;
  assigneeId: number | null;
}

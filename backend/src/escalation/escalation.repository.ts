import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Brackets, DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { Unit } from '../units/unit.entity';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import type { RequestType, WarningLevel } from '../work-orders/work-order.enums';
import type { EscalationFacts } from './escalation-plan';
import { SYSTEM_ACTOR } from './system-actor';

/** A due order as the tick reads it: the facts of the plan, plus what the claim compares and the notices name. */
export interface DueOrder extends EscalationFacts {
  id: number;
  requestType: RequestType;
  categoryId: number;
  number: string;
  title: string;
  version: number;
  deadlineCheckAt: Date;
  reminderCount: number;
  parentId: number | null;
  registeredById: number;
}

/** What one claim writes besides the next check. */
export interface ClaimChanges {
  warningLevel: WarningLevel;
  escalationStage: number;
  deadlineCheckAt: Date | null;
  /** A step happened: the version moves on (a user action prepared on the old version answers 409). */
  bumpVersion: boolean;
  reminderCount?: number;
  supervised?: boolean;
  replyDueAt?: Date;
  updatedAt?: Date;
}

const DUE_COLUMNS = [
  'id', 'number', 'title', 'version', 'status', 'urgency', 'leadUnitId', 'createdAt', 'dispatchedAt', 'dispatchDueAt', 'acceptDueAt',
  'contactDueAt', 'replyDueAt', 'replyClockStartedAt', 'firstContactAt', 'warningLevel', 'escalationStage', 'deadlineCheckAt', 'reminderCount', 'parentId', 'registeredById',
  'requestType', 'categoryId', 'reopenCount',
] as const;

/** Every query of the escalation scheduler. Writes take the caller's transaction manager. */
@Injectable()
export class EscalationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** SQLite: one connection, transactions queued one after another (see TransactionService). */
  get runsOneTransactionAtATime(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * Up to `limit` orders due at `now`, in order of due time, after the (deadlineCheckAt, id) key `after` (keyset
   * paging within a tick). A range scan of the (deadlineCheckAt, id) index: its cost grows with the due orders only.
   */
  async findDue(now: Date, after: { at: Date; id: number } | null, limit: number): Promise<DueOrder[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(WorkOrder, 'wo')
      .select(DUE_COLUMNS.map((column) => `wo.${column}`))
      .where('wo.deadlineCheckAt <= :now', { now })
      .orderBy('wo.deadlineCheckAt', 'ASC')
      .addOrderBy('wo.id', 'ASC')
      .limit(limit);
    if (after) {
      query.andWhere(
        new Brackets((q) => q.where('wo.deadlineCheckAt > :afterAt').orWhere('wo.deadlineCheckAt = :afterAt AND wo.id > :afterId')),
        { afterAt: after.at, afterId: after.id },
      );
    }
    return (await query.getMany()) as DueOrder[];
  }

  /**
   * The claim: writes the outcome only if the order is still exactly as it was read (same version, same next
   * check). Of several instances handling the same due order, one UPDATE matches and the others wait for its row
   * lock and then match nothing; a user action that committed in between moved the version, so the claim fails
   * and the order is read afresh (the action set deadlineCheckAt to now). True when this call won.
   */
  async claim(order: Pick<DueOrder, 'id' | 'version' | 'deadlineCheckAt'>, changes: ClaimChanges, manager: EntityManager): Promise<boolean> {
    const { bumpVersion, ...values } = changes;
    const result = await manager
      .createQueryBuilder()
      .update(WorkOrder)
      .set({ ...values, ...(bumpVersion ? { version: order.version + 1 } : {}) })
      .where('id = :id AND version = :version AND deadlineCheckAt = :checkAt', { id: order.id, version: order.version, checkAt: order.deadlineCheckAt })
      .execute();
    return result.affected === 1;
  }

  /**
   * The claim of a whole chunk in two statements (thousands of orders a tick): write-locks the orders, lowest id
   * first (as user actions lock them), keeps those still exactly as they were read (same version, same next
   * check), and writes each one's outcome with one UPDATE. Another instance claiming the same orders waits for the
   * locks and then finds them changed; a user action that committed in between moved the version. Answers the ids
   * this call won. SQLite runs one transaction at a time, so its plain read is already current.
   */
  async claimMany(claims: { order: Pick<DueOrder, 'id' | 'version' | 'deadlineCheckAt'>; changes: ClaimChanges }[], manager: EntityManager): Promise<Set<number>> {
    const won = new Set<number>();
    if (claims.length === 0) return won;
    const ids = claims.map((c) => c.order.id).sort((a, b) => a - b);
    const lock = manager
      .createQueryBuilder(WorkOrder, 'wo')
      .select(['wo.id', 'wo.version', 'wo.deadlineCheckAt'])
      .where('wo.id IN (:...ids)', { ids })
      .orderBy('wo.id', 'ASC');
    if (manager.connection.options.type !== 'better-sqlite3') lock.setLock('pessimistic_write');
    const current = new Map((await lock.getMany()).map((row) => [row.id, row]));
    const mine = claims.filter(({ order }) => {
      const now = current.get(order.id);
      return now !== undefined && now.version === order.version && now.deadlineCheckAt?.getTime() === order.deadlineCheckAt.getTime();
    });
    if (mine.length === 0) return won;
    const parameters: Record<string, unknown> = {};
    let count = 0;
    const parameter = (value: unknown): string => {
      const name = `c${count++}`;
      parameters[name] = value;
      return `:${name}`;
    };
    // One CASE per column: each claimed order gets its own value; a column a claim does not set keeps its value.
    const column = (name: string, pick: (claim: (typeof mine)[number]) => unknown): (() => string) | undefined => {
      const whens = mine.filter((claim) => pick(claim) !== undefined).map((claim) => `WHEN ${parameter(claim.order.id)} THEN ${parameter(pick(claim))}`);
      return whens.length === 0 ? undefined : () => `CASE \`id\` ${whens.join(' ')} ELSE \`${name}\` END`;
    };
    const set: QueryDeepPartialEntity<WorkOrder> & Record<string, () => string> = {};
    const assign = (name: string, pick: (claim: (typeof mine)[number]) => unknown) => {
      const expression = column(name, pick);
      if (expression) set[name] = expression;
    };
    assign('warningLevel', (c) => c.changes.warningLevel);
    assign('escalationStage', (c) => c.changes.escalationStage);
    assign('deadlineCheckAt', (c) => c.changes.deadlineCheckAt);
    assign('version', (c) => (c.changes.bumpVersion ? c.order.version + 1 : undefined));
    assign('reminderCount', (c) => c.changes.reminderCount);
    // Booleans as 1/0: the same on both engines inside a CASE.
    assign('supervised', (c) => (c.changes.supervised === undefined ? undefined : c.changes.supervised ? 1 : 0));
    assign('replyDueAt', (c) => c.changes.replyDueAt);
    assign('updatedAt', (c) => c.changes.updatedAt);
    await manager
      .createQueryBuilder()
      .update(WorkOrder)
      .set(set)
      .where('id IN (:...claimed)', { claimed: mine.map((c) => c.order.id) })
      .setParameters(parameters)
      .execute();
    for (const claim of mine) won.add(claim.order.id);
    return won;
  }

  /** The timeline rows of the steps, in one statement (their ids are not needed). */
  async appendEvents(events: Omit<WorkOrderEvent, 'id' | 'workOrder'>[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    // One multi-row INSERT; the payload (simple-json) is serialised by TypeORM as on save.
    await manager.insert(WorkOrderEvent, events as QueryDeepPartialEntity<WorkOrderEvent>[]);
  }

  /**
   * When each of these orders became overdue, as the system's automatic supervision recorded it (the supervision
   * moved the reply deadline, so the deadlines alone no longer tell). Served by (workOrderId, id).
   */
  async overdueSince(workOrderIds: number[]): Promise<Map<number, Date>> {
    const found = new Map<number, Date>();
    if (workOrderIds.length === 0) return found;
    const rows = await this.dataSource.manager.find(WorkOrderEvent, {
      select: { id: true, workOrderId: true, payload: true },
      where: { workOrderId: In(workOrderIds), action: 'supervise', actorId: IsNull(), actorName: SYSTEM_ACTOR.actorName ?? undefined },
      order: { id: 'ASC' },
    });
    for (const row of rows) {
      const since = row.payload?.overdueSince;
      if (typeof since === 'string' && !Number.isNaN(Date.parse(since))) found.set(row.workOrderId, new Date(since));
    }
    return found;
  }

  /** The reply deadlines of these orders (the parents of sub-dispatched children). */
  async replyDueAtOf(ids: number[]): Promise<Map<number, Date | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(WorkOrder, { select: { id: true, replyDueAt: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, row.replyDueAt]));
  }

  /** Ids of the center's units (type 'center'). */
  async centerUnitIds(): Promise<number[]> {
    const rows = await this.dataSource.manager.find(Unit, { select: { id: true }, where: { type: 'center' }, order: { id: 'ASC' } });
    return rows.map((row) => row.id);
  }

  async parentUnitId(unitId: number): Promise<number | null> {
    const unit = await this.dataSource.manager.findOne(Unit, { select: { id: true, parentId: true }, where: { id: unitId } });
    return unit?.parentId ?? null;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, type EntityManager, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { runWithStatementTimeout } from '../database/statement-timeout';
import { User } from '../users/user.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { CALL_BACK_STATUSES, type CallStatus, type CtiEventType } from './cti.enums';
import { CallEvent } from './entities/call-event.entity';
import { CallWorkOrder } from './entities/call-work-order.entity';
import { Call } from './entities/call.entity';

/** The filters of GET /api/calls, as the service resolved them. */
export interface CallFilter {
  from?: Date;
  to?: Date;
  agentId?: number;
  status?: CallStatus;
  phone?: string;
}

/** A work order linked to a call, with what the detail shows of it. */
export interface LinkedOrderRow {
  link: CallWorkOrder;
  order: Pick<WorkOrder, 'id' | 'number' | 'title' | 'status'>;
}

/** Every query of call records, their events and their linked orders. */
@Injectable()
export class CallsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Adds the call's row unless it is there (a placeholder the event then fills in); never fails on a parallel insert. */
  async insertIfMissing(values: Pick<Call, 'callId' | 'direction' | 'status' | 'startedAt'>, now: Date, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Call)
      .values({ ...values, version: 1, createdAt: now, updatedAt: now })
      .orIgnore()
      // Nothing reads the generated id back: when the row exists the INSERT is ignored, and mapping the driver's
      // last insert id onto it would fail (0 on a connection that has inserted nothing yet, e.g. after a restart).
      .updateEntity(false)
      .execute();
  }

  /** Inserts the event's row; throws a unique violation when this event of this call was accepted before. */
  async insertEvent(values: { callId: string; event: CtiEventType; payload: string; occurredAt: Date; receivedAt: Date }, manager: EntityManager): Promise<void> {
    await manager.getRepository(CallEvent).insert(values);
  }

  async hasEvent(callId: string, event: CtiEventType): Promise<boolean> {
    return (await this.dataSource.getRepository(CallEvent).count({ where: { callId, event } })) > 0;
  }

  /** The call, its row locked for the rest of the transaction (MariaDB; SQLite's transactions run one at a time). */
  findForUpdate(callId: string, manager: EntityManager): Promise<Call | null> {
    const query = manager.getRepository(Call).createQueryBuilder('c').where('c.callId = :callId', { callId });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    return query.getOne();
  }

  findByCallId(callId: string, manager?: EntityManager): Promise<Call | null> {
    return (manager ?? this.dataSource.manager).getRepository(Call).findOne({ where: { callId } });
  }

  findById(id: number, manager?: EntityManager): Promise<Call | null> {
    return (manager ?? this.dataSource.manager).getRepository(Call).findOne({ where: { id } });
  }

  async save(call: Call, manager: EntityManager): Promise<Call> {
    return manager.getRepository(Call).save(call);
  }

  /** Sets the recording's columns (an upload sent again replaces the first). */
  async setRecording(id: number, recording: Pick<Call, 'recordingFile' | 'recordingBytes' | 'recordingDurationMs' | 'recordingUploadedAt'>, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Call)
      .set({ ...recording, updatedAt: recording.recordingUploadedAt ?? undefined, version: () => 'version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  /** The ACD offered the call to an agent just now (after the offer committed: the call's row is not locked by the route). */
  async setOfferedAt(callId: string, at: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(Call)
      .set({ offeredAt: at, updatedAt: at, version: () => 'version + 1' })
      .where('callId = :callId', { callId })
      .execute();
  }

  /** When the event happened at the source (its `at`), or null when the call has no such event. */
  async eventTime(callId: string, event: CtiEventType): Promise<Date | null> {
    const row = await this.dataSource.getRepository(CallEvent).findOne({ select: { id: true, occurredAt: true }, where: { callId, event } });
    return row?.occurredAt ?? null;
  }

  /** The record ids of calls by their Call-IDs (those that have a record). */
  async recordIdsOf(callIds: readonly string[]): Promise<Map<string, number>> {
    if (callIds.length === 0) return new Map();
    const calls = await this.dataSource.getRepository(Call).find({ select: { id: true, callId: true }, where: { callId: In([...callIds]) } });
    return new Map(calls.map((call) => [call.callId, call.id]));
  }

  /** A page of calls matching the filter, the latest start first. */
  async page(filter: CallFilter, offset: number, limit: number): Promise<{ calls: Call[]; total: number }> {
    return runWithStatementTimeout(this.dataSource, this.config.queryTimeouts.listMs, async (manager) => {
      const query = manager.getRepository(Call).createQueryBuilder('c');
      if (filter.from) query.andWhere('c.startedAt >= :from', { from: filter.from });
      if (filter.to) query.andWhere('c.startedAt < :to', { to: filter.to });
      if (filter.agentId !== undefined) query.andWhere('c.answeringAgentId = :agentId', { agentId: filter.agentId });
      if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
      if (filter.phone) query.andWhere(new Brackets((q) => q.where('c.fromNumber = :phone', { phone: filter.phone }).orWhere('c.toNumber = :phone')));
      const [calls, total] = await query.orderBy('c.startedAt', 'DESC').addOrderBy('c.id', 'DESC').skip(offset).take(limit).getManyAndCount();
      return { calls, total };
    });
  }

  /** 回拨 list: inbound calls that ended missed or abandoned and nobody called back yet, the latest first. */
  async callBackPage(offset: number, limit: number): Promise<{ calls: Call[]; total: number }> {
    return runWithStatementTimeout(this.dataSource, this.config.queryTimeouts.listMs, async (manager) => {
      const [calls, total] = await manager
        .getRepository(Call)
        .createQueryBuilder('c')
        .where('c.status IN (:...statuses)', { statuses: CALL_BACK_STATUSES })
        .andWhere('c.calledBackAt IS NULL')
        .andWhere("c.direction = 'inbound'")
        .orderBy('c.startedAt', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .skip(offset)
        .take(limit)
        .getManyAndCount();
      return { calls, total };
    });
  }

  /** Calls not ended that started after `since`, the oldest first. */
  inProgress(since: Date): Promise<Call[]> {
    return this.dataSource
      .getRepository(Call)
      .createQueryBuilder('c')
      .where('c.endedAt IS NULL')
      .andWhere('c.startedAt >= :since', { since })
      .orderBy('c.startedAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  /** Queued calls nobody has answered (nor ended) that started after `since`. */
  countQueued(since: Date): Promise<number> {
    return this.dataSource
      .getRepository(Call)
      .createQueryBuilder('c')
      .where('c.status = :queued', { queued: 'queued' })
      .andWhere('c.startedAt >= :since', { since })
      .getCount();
  }

  /** Sets calledBackAt/By unless another agent did it first; false then. */
  async markCalledBack(id: number, userId: number, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Call)
      .set({ calledBackAt: at, calledBackById: userId, updatedAt: at, version: () => 'version + 1' })
      .where('id = :id AND calledBackAt IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /** Display names of users by id. */
  async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const users = await this.dataSource.getRepository(User).find({ select: { id: true, displayName: true }, where: { id: In(wanted) } });
    return new Map(users.map((user) => [user.id, user.displayName]));
  }

  async workOrderExists(id: number): Promise<boolean> {
    return (await this.dataSource.getRepository(WorkOrder).count({ where: { id } })) > 0;
  }

  async isLinked(callRecordId: number, workOrderId: number): Promise<boolean> {
    return (await this.dataSource.getRepository(CallWorkOrder).count({ where: { callRecordId, workOrderId } })) > 0;
  }

  async insertLink(values: Pick<CallWorkOrder, 'callRecordId' | 'workOrderId' | 'linkedById' | 'linkedAt'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(CallWorkOrder).insert(values);
  }

  /** The orders linked to each of the calls (id and number), in the order they were linked: one query for a page of calls. */
  async linkedOrderRefs(callRecordIds: readonly number[]): Promise<Map<number, { id: number; number: string }[]>> {
    const refs = new Map<number, { id: number; number: string }[]>();
    if (callRecordIds.length === 0) return refs;
    const rows = await this.dataSource
      .getRepository(CallWorkOrder)
      .createQueryBuilder('l')
      .innerJoin(WorkOrder, 'wo', 'wo.id = l.workOrderId')
      .select('l.callRecordId', 'callRecordId')
      .addSelect('wo.id', 'id')
      .addSelect('wo.number', 'number')
      .where('l.callRecordId IN (:...ids)', { ids: [...new Set(callRecordIds)] })
      .orderBy('l.linkedAt', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getRawMany<{ callRecordId: number | string; id: number | string; number: string }>();
    for (const row of rows) {
      const callRecordId = Number(row.callRecordId);
      refs.set(callRecordId, [...(refs.get(callRecordId) ?? []), { id: Number(row.id), number: row.number }]);
    }
    return refs;
  }

  async linkedOrders(callRecordId: number, manager?: EntityManager): Promise<LinkedOrderRow[]> {
    const links = await (manager ?? this.dataSource.manager).getRepository(CallWorkOrder).find({ where: { callRecordId }, order: { linkedAt: 'ASC', id: 'ASC' } });
    if (links.length === 0) return [];
    const orders = await (manager ?? this.dataSource.manager)
      .getRepository(WorkOrder)
      .find({ select: { id: true, number: true, title: true, status: true }, where: { id: In(links.map((link) => link.workOrderId)) } });
    const byId = new Map(orders.map((order) => [order.id, order]));
    return links.flatMap((link) => {
      const order = byId.get(link.workOrderId);
      return order ? [{ link, order }] : [];
    });
  }
}

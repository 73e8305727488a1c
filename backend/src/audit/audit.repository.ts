import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { LIKE_ESCAPE } from '../common/sql-like';
import type { AuditCursor } from './audit-cursor';
import { AuditEvent } from './audit-event.entity';

export interface AuditEventFilter {
  /** from ≤ at < to */
  from: Date | null;
  to: Date | null;
  actorId: number | null;
  actorName: string | null;
  /** Exact, or a prefix when it ends with a dot (`user.` → user.create, user.update…). */
  action: string | null;
  targetType: string | null;
  targetId: string | null;
}

/** Every query of the audit trail. There is no update; the only delete is the retention purge. */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async insert(row: Omit<AuditEvent, 'id'>, manager: EntityManager): Promise<AuditEvent> {
    const repository = manager.getRepository(AuditEvent);
    return repository.save(repository.create(row));
  }

  /** Up to `limit` rows, newest first ((at, id) descending), after `cursor` when given; served by IDX_audit_events_at_id. */
  findPage(filter: AuditEventFilter, cursor: AuditCursor | null, limit: number): Promise<AuditEvent[]> {
    const builder = this.events.createQueryBuilder('event').orderBy('event.at', 'DESC').addOrderBy('event.id', 'DESC').limit(limit);
    if (filter.from) builder.andWhere('event.at >= :from', { from: filter.from });
    if (filter.to) builder.andWhere('event.at < :to', { to: filter.to });
    if (filter.actorId !== null) builder.andWhere('event.actorId = :actorId', { actorId: filter.actorId });
    if (filter.actorName !== null) builder.andWhere('event.actorName = :actorName', { actorName: filter.actorName });
    if (filter.action !== null) {
      if (filter.action.endsWith('.')) {
        builder.andWhere(`event.action LIKE :actionPrefix ${LIKE_ESCAPE}`, { actionPrefix: `${filter.action.replace(/[!%_]/g, (c) => `!${c}`)}%` });
      } else {
        builder.andWhere('event.action = :action', { action: filter.action });
      }
    }
    if (filter.targetType !== null) builder.andWhere('event.targetType = :targetType', { targetType: filter.targetType });
    if (filter.targetId !== null) builder.andWhere('event.targetId = :targetId', { targetId: filter.targetId });
    if (cursor) {
      builder.andWhere('(event.at < :cursorAt OR (event.at = :cursorAt AND event.id < :cursorId))', { cursorAt: cursor.at, cursorId: cursor.id });
    }
    return builder.getMany();
  }

  /**
   * Deletes up to `batchSize` rows older than `cutoff` in one statement and says how many went. The nested
   * derived table lets MySQL/MariaDB delete from the table it selects from (and take a LIMIT there); SQLite runs
   * the same text. Several instances purging at once delete disjoint or already-deleted rows: never an error.
   */
  async deleteOlderThan(cutoff: Date, batchSize: number, manager: EntityManager): Promise<number> {
    const q = (name: string) => manager.connection.driver.escape(name);
    const table = q('audit_events');
    const oldest = `SELECT ${q('id')} FROM ${table} WHERE ${q('at')} < :cutoff ORDER BY ${q('at')}, ${q('id')} LIMIT ${Math.trunc(batchSize)}`;
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(AuditEvent)
      .where(`${q('id')} IN (SELECT ${q('id')} FROM (${oldest}) AS old_events)`, { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}

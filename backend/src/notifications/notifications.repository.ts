import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import { Notification } from './notification.entity';

export interface NotificationPageQuery {
  userId: number;
  unreadOnly: boolean;
  /** Only ids below this one (keyset paging, newest first). */
  beforeId: number | null;
  limit: number;
}

/** Every query of the notifications table. Writes take the caller's transaction manager. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  /** One INSERT per row: the ids of a multi-row insert are not reliable on MySQL with interleaved auto-increment. */
  async insert(rows: Omit<Notification, 'id'>[], manager: EntityManager): Promise<Notification[]> {
    const repository = manager.getRepository(Notification);
    const saved: Notification[] = [];
    for (const row of rows) saved.push(await repository.save(repository.create(row)));
    return saved;
  }

  /**
   * Many rows with one multi-row INSERT (the deadline scheduler writes thousands a tick), then read back in the
   * same transaction for their ids, which need not be consecutive on MySQL (interleaved auto-increment): the rows
   * above the highest id seen before the insert that match an inserted row field by field are this insert's.
   */
  async insertMany(rows: Omit<Notification, 'id'>[], manager: EntityManager): Promise<Notification[]> {
    if (rows.length === 0) return [];
    const repository = manager.getRepository(Notification);
    const before = await repository.createQueryBuilder('n').select('MAX(n.id)', 'max').getRawOne<{ max: number | string | null }>();
    const floor = Number(before?.max ?? 0);
    for (let start = 0; start < rows.length; start += 500) {
      await repository.createQueryBuilder().insert().values(rows.slice(start, start + 500)).updateEntity(false).execute();
    }
    const written = await repository
      .createQueryBuilder('n')
      .where('n.id > :floor', { floor })
      .andWhere('n.userId IN (:...userIds)', { userIds: [...new Set(rows.map((r) => r.userId))] })
      .orderBy('n.id', 'ASC')
      .getMany();
    const key = (r: Omit<Notification, 'id'>) => JSON.stringify([r.userId, r.kind, r.workOrderId, r.title, r.body, r.payload, r.createdAt.getTime()]);
    const byKey = new Map<string, Notification[]>();
    for (const row of written) byKey.set(key(row), [...(byKey.get(key(row)) ?? []), row]);
    return rows.map((row) => {
      const found = byKey.get(key(row))?.shift();
      if (!found) throw new Error('A notification just inserted could not be read back');
      return found;
    });
  }

  /** `limit` rows newest first; served by (userId, id) or, for unread only, (userId, readAt, id). */
  findPage(query: NotificationPageQuery): Promise<Notification[]> {
    const builder = this.notifications
      .createQueryBuilder('notification')
      .where('notification.userId = :userId', { userId: query.userId })
      .orderBy('notification.id', 'DESC')
      .limit(query.limit);
    if (query.unreadOnly) builder.andWhere('notification.readAt IS NULL');
    if (query.beforeId !== null) builder.andWhere('notification.id < :beforeId', { beforeId: query.beforeId });
    return builder.getMany();
  }

  countUnread(userId: number): Promise<number> {
    return this.notifications.count({ where: { userId, readAt: IsNull() } });
  }

  /** The notification if it is this user's; null otherwise (another user's is as good as absent). */
  findOwn(id: number, userId: number, manager: EntityManager): Promise<Notification | null> {
    return manager.getRepository(Notification).findOne({ where: { id, userId } });
  }

  /** Marks one unread notification read; a second read keeps the first time. */
  async markRead(id: number, userId: number, at: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(Notification).update({ id, userId, readAt: IsNull() }, { readAt: at });
  }

  /** Marks every unread notification of the user read; answers how many changed. */
  async markAllRead(userId: number, at: Date, manager: EntityManager): Promise<number> {
    const result = await manager.getRepository(Notification).update({ userId, readAt: IsNull() }, { readAt: at });
    return result.affected ?? 0;
  }
}

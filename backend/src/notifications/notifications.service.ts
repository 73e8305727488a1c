import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus } from '../events/app-events';
import type { Role } from '../users/role';
import { AfterCommit } from './after-commit';
import { NOTIFICATION_CHANNEL, type NotificationChannel, URGENT_NOTIFICATION_KINDS } from './notification-channel';
import { NOTIFICATION_KINDS, NOTIFICATION_TITLE_MAX_LENGTH, type NotificationKind } from './notification-kind';
import type { Notification } from './notification.entity';
import type { NotificationContent, NotificationList, NotificationPayload, NotificationView } from './notification.view';
import { NotificationsRepository } from './notifications.repository';
import { UserAccountsService } from '../users/user-accounts.service';

export interface ListNotificationsOptions {
  unreadOnly: boolean;
  /** The `nextCursor` of the previous page. */
  cursor: string | null;
  limit: number;
}

/**
 * Stores notifications per user and, once they are committed, announces each one (`notification.created`, which the
 * realtime push sends to the user's sockets) and sends urgent kinds over the outbound channel (SMS).
 * The deadline scheduler and escalation call notifyUsers/notifyUnits inside their own transactions.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly urgentKinds: ReadonlySet<NotificationKind>;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly users: UserAccountsService,
    private readonly transactions: TransactionService,
    private readonly afterCommit: AfterCommit,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
    @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel,
    @Inject(URGENT_NOTIFICATION_KINDS) urgentKinds: readonly NotificationKind[],
  ) {
    this.urgentKinds = new Set(urgentKinds);
  }

  /**
   * One notification for each of the users (duplicates count once). With `manager` the rows are written in the
   * caller's transaction and announced only after it commits (nothing when it rolls back); without, in a
   * transaction of their own.
   */
  async notifyUsers(userIds: readonly number[], content: NotificationContent, manager?: EntityManager): Promise<NotificationView[]> {
    const addressees = [...new Set(userIds)];
    if (addressees.length === 0) return [];
    const rows = this.rows(addressees, content);
    if (manager) return this.store(rows, manager);
    return this.transactions.run((own) => this.store(rows, own));
  }

  /**
   * Several notifications at once, each item as notifyUsers would store it, written with multi-row INSERTs in the
   * caller's transaction and announced after it commits (the deadline scheduler sends thousands in one tick).
   */
  async notifyMany(items: readonly { userIds: readonly number[]; content: NotificationContent }[], manager: EntityManager): Promise<NotificationView[]> {
    const rows = items.flatMap((item) => {
      const addressees = [...new Set(item.userIds)];
      return addressees.length === 0 ? [] : this.rows(addressees, item.content);
    });
    if (rows.length === 0) return [];
    const saved = await this.notifications.insertMany(rows, manager);
    const views = saved.map((row) => this.toView(row));
    this.afterCommit.run(manager, () => this.announce(saved, views));
    return views;
  }

  /**
   * One notification for each active user of the units, only those with one of `roles` when given
   * (null: every role; an empty list: nobody).
   */
  async notifyUnits(
    unitIds: readonly number[],
    roles: readonly Role[] | null,
    content: NotificationContent,
    manager?: EntityManager,
  ): Promise<NotificationView[]> {
    const userIds = await this.users.activeIdsOfUnits([...new Set(unitIds)], roles, manager);
    return this.notifyUsers(userIds, content, manager);
  }

  async list(userId: number, options: ListNotificationsOptions): Promise<NotificationList> {
    const beforeId = options.cursor === null ? null : Number(options.cursor);
    // One row more than asked tells whether an older page exists.
    const rows = await this.notifications.findPage({ userId, unreadOnly: options.unreadOnly, beforeId, limit: options.limit + 1 });
    const page = rows.slice(0, options.limit);
    return {
      items: page.map((row) => this.toView(row)),
      unreadCount: await this.notifications.countUnread(userId),
      nextCursor: rows.length > options.limit ? String(page[page.length - 1].id) : null,
    };
  }

  /** Marks the caller's notification read (again: no change); another user's answers 404 like a missing one. */
  async markRead(userId: number, id: number): Promise<NotificationView> {
    return this.transactions.run(async (manager) => {
      const found = await this.notifications.findOwn(id, userId, manager);
      if (!found) throw new NotFoundException(`Notification ${id} does not exist`);
      if (found.readAt === null) await this.notifications.markRead(id, userId, this.clock.now(), manager);
      const fresh = await this.notifications.findOwn(id, userId, manager);
      return this.toView(fresh ?? found);
    });
  }

  async markAllRead(userId: number): Promise<{ updated: number }> {
    const updated = await this.transactions.run((manager) => this.notifications.markAllRead(userId, this.clock.now(), manager));
    return { updated };
  }

  toView(row: Notification): NotificationView {
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      workOrderId: row.workOrderId,
      payload: this.parsePayload(row),
      readAt: row.readAt ? row.readAt.toISOString() : null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  private rows(userIds: number[], content: NotificationContent): Omit<Notification, 'id'>[] {
    // A programming error in the notifying code, not a user's input: fail loudly.
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(content.kind)) throw new Error(`Unknown notification kind ${JSON.stringify(content.kind)}`);
    const title = content.title.trim();
    if (title.length === 0) throw new Error('A notification needs a title');
    const createdAt = this.clock.now();
    const payload = content.payload ? JSON.stringify(content.payload) : null;
    return userIds.map((userId) => ({
      userId,
      kind: content.kind,
      title: shorten(title, NOTIFICATION_TITLE_MAX_LENGTH),
      body: content.body ?? null,
      workOrderId: content.workOrderId ?? null,
      payload,
      readAt: null,
      createdAt,
    }));
  }

  private async store(rows: Omit<Notification, 'id'>[], manager: EntityManager): Promise<NotificationView[]> {
    const saved = await this.notifications.insert(rows, manager);
    const views = saved.map((row) => this.toView(row));
    this.afterCommit.run(manager, () => this.announce(saved, views));
    return views;
  }

  private announce(rows: Notification[], views: NotificationView[]): void {
    rows.forEach((row, index) => {
      this.events.emit('notification.created', { userId: row.userId, notification: views[index] });
      if (this.urgentKinds.has(row.kind)) this.sendOutbound(row);
    });
  }

  private sendOutbound(row: Notification): void {
    const outbound = {
      notificationId: row.id,
      userId: row.userId,
      kind: row.kind,
      title: row.title,
      body: row.body,
      workOrderId: row.workOrderId,
      createdAt: row.createdAt,
    };
    // Through a promise, so that a channel that throws at once fails like one that rejects: logged, alone.
    Promise.resolve()
      .then(() => this.channel.send(outbound))
      .catch((error: unknown) =>
        this.logger.error(`The ${this.channel.name} channel failed for notification ${row.id}: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  private parsePayload(row: Notification): NotificationPayload | null {
    if (row.payload === null) return null;
    try {
      return JSON.parse(row.payload) as NotificationPayload;
    } catch {
      this.logger.warn(`Notification ${row.id} has a payload that is not JSON; answered as null`);
      return null;
    }
  }
}

/** Shortens by UTF-16 units, which is never more characters than MySQL counts. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Do not leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

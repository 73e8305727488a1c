import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../database/columns';
import { User } from '../users/user.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { NOTIFICATION_KIND_MAX_LENGTH, NOTIFICATION_TITLE_MAX_LENGTH, type NotificationKind } from './notification-kind';

/**
 * One message to one user (the bell). Rows are inserted by the notifying code and only ever change by being read.
 * The two indexes serve the bell's two questions: "my unread ones, newest first" (userId, readAt, id) and
 * "all of mine, newest first" (userId, id); both page by id (keyset), never by OFFSET.
 */
@Entity('notifications')
@Index('IDX_notifications_userId_readAt_id', ['userId', 'readAt', 'id'])
@Index('IDX_notifications_userId_id', ['userId', 'id'])
export class Notification {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: NOTIFICATION_KIND_MAX_LENGTH })
  kind: NotificationKind;

  @Column({ type: 'varchar', length: NOTIFICATION_TITLE_MAX_LENGTH })
  title: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'int', nullable: true })
  workOrderId: number | null;

  @ManyToOne(() => WorkOrder, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'workOrderId' })
  workOrder?: WorkOrder;

  /** JSON text (not a JSON column) so that both engines store and return it alike; see NotificationsService. */
  @Column({ type: 'text', nullable: true })
  payload: string | null;

  @UtcDateTimeColumn({ nullable: true })
  readAt: Date | null;

  @UtcDateTimeColumn()
  createdAt: Date;
}

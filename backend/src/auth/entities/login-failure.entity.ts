import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';

/**
 * Failed logins per normalised username — known or not, so that unknown usernames take the same path and get
 * the same answers. The row is the lock the password check waits on (SELECT … FOR UPDATE on MySQL/MariaDB).
 */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'int', default: 0 })
  failureCount: number;

  /** The last failure; the count starts afresh once the lock duration has passed without one. */
  @UtcDateTimeColumn({ nullable: true })
  lastFailureAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  lockedUntil: Date | null;

  /** The last attempt, for forgetting idle usernames. */
  @UtcDateTimeColumn()
  touchedAt: Date;
}

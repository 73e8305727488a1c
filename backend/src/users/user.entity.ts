import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../database/columns';
import { Unit } from '../units/unit.entity';
import type { Role } from './role';

@Entity('users')
export class User extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_users_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'varchar', length: 64 })
  displayName: string;

  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** The user's own unit: the center for center roles, the handling department for unit roles. */
  @Index('IDX_users_unitId')
  @Column({ type: 'int' })
  unitId: number;

  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unitId' })
  unit?: Unit;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Carried by every token the user holds and compared on every use: bumping it (logout, a new password)
   * ends every session at once. Failed logins live in login_failures, keyed by username.
   */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  /**
   * Set when an administrator created the account or reset its password: the one-time password works only for
   * changing it (every other route answers 403 PASSWORD_CHANGE_REQUIRED until POST /api/auth/change-password).
   */
  @Column({ type: 'boolean', default: false })
  mustChangePassword: boolean;

}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../../database/columns';
import { User } from '../../users/user.entity';

/**
 * 分机: an agent's extension and the SIP digest credentials its phone registers with. Only HA1 =
 * MD5(extension:realm:password) is kept (what a registrar needs to check a digest), never the password.
 */
@Entity('agent_phones')
@Index('UQ_agent_phones_extension', ['extension'], { unique: true })
@Index('UQ_agent_phones_userId', ['userId'], { unique: true })
export class AgentPhone extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  extension: string;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** Lower-case hex MD5 of extension:realm:password. */
  @Column({ type: 'varchar', length: 32 })
  ha1: string;

  /** The realm the HA1 was computed with (CTI_REALM at the time). */
  @Column({ type: 'varchar', length: 64 })
  realm: string;
}

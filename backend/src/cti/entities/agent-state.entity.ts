import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UtcDateTimeColumn } from '../../database/columns';
import { User } from '../../users/user.entity';
import type { AgentState } from '../cti.enums';

/**
 * 坐席状态: one row per agent who ever set a state. The ACD offers a call to the ready agent with the oldest
 * `idleSince`; the unique `currentCallId` makes sure one call is never offered to (or held by) two agents.
 */
@Entity('agent_states')
@Index('IDX_agent_states_state_idleSince', ['state', 'idleSince'])
@Index('UQ_agent_states_currentCallId', ['currentCallId'], { unique: true })
export class AgentStateRow {
  @PrimaryColumn({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  state: AgentState;

  /** When the current state began. */
  @UtcDateTimeColumn()
  since: Date;

  /**
   * Since when the agent has been free for calls: when they last set themself ready from another state, or when
   * their last call ended. An offer that is withdrawn (the caller hung up while it rang) does not move it.
   */
  @UtcDateTimeColumn()
  idleSince: Date;

  @UtcDateTimeColumn({ nullable: true })
  lastCallEndedAt: Date | null;

  /** The call offered to the agent (ringing) or in progress with them (busy); null otherwise. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  currentCallId: string | null;

  /**
   * The agent logged out, or left the console (no socket for CTI_AGENT_GRACE), while a call rang at them or lasted: they
   * go offline when it is over instead of ready (or away). Cleared when they come back to the console.
   */
  @Column({ type: 'boolean', default: false })
  offlineAfterCall: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;
}

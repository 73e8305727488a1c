import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity, UtcDateTimeColumn } from '../../database/columns';
import { User } from '../../users/user.entity';
import type { CallCause, CallDirection, CallStatus, SurveyRating } from '../cti.enums';

/**
 * 话务记录: one call as the CTI events (cti/call-events.service.ts) describe it. Every time comes from the event
 * (`at`), never from its arrival; status and durations are derived from the times (call-outcome.ts).
 */
@Entity('calls')
@Index('UQ_calls_callId', ['callId'], { unique: true })
@Index('IDX_calls_startedAt_id', ['startedAt', 'id'])
@Index('IDX_calls_status_startedAt', ['status', 'startedAt'])
@Index('IDX_calls_answeringAgentId_startedAt', ['answeringAgentId', 'startedAt'])
@Index('IDX_calls_fromNumber_startedAt', ['fromNumber', 'startedAt'])
@Index('IDX_calls_toNumber_startedAt', ['toNumber', 'startedAt'])
@Index('IDX_calls_endedAt_startedAt', ['endedAt', 'startedAt'])
export class Call extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** The SIP Call-ID or the PBX's own id of the call. */
  @Column({ type: 'varchar', length: 128 })
  callId: string;

  @Column({ type: 'varchar', length: 8 })
  direction: CallDirection;

  /** The caller's number; null until an event names it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  fromNumber: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  toNumber: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: CallStatus;

  /** The hangup's cause; null while the call lasts. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  cause: CallCause | null;

  /** The earliest time any of its events gave: what lists filter and sort by. */
  @UtcDateTimeColumn()
  startedAt: Date;

  @UtcDateTimeColumn({ nullable: true })
  ringingAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  queuedAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  answeredAt: Date | null;

  @UtcDateTimeColumn({ nullable: true })
  endedAt: Date | null;

  /** From arrival to answer (or to the end of an unanswered call), whole seconds; null while unknown. */
  @Column({ type: 'int', nullable: true })
  waitSeconds: number | null;

  /** From answer to end, whole seconds; null for an unanswered call or one still going on. */
  @Column({ type: 'int', nullable: true })
  talkSeconds: number | null;

  @Column({ type: 'int', nullable: true })
  answeringAgentId: number | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'answeringAgentId' })
  answeringAgent?: User | null;

  /** The extension (or the PBX's agent name) that answered, as the event gave it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  answeringExtension: string | null;

  /** The WAV under RECORDINGS_DIR (a relative path); null until uploaded. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  recordingFile: string | null;

  @Column({ type: 'int', nullable: true })
  recordingBytes: number | null;

  /** The audio's duration from the WAV header, in milliseconds. */
  @Column({ type: 'int', nullable: true })
  recordingDurationMs: number | null;

  @UtcDateTimeColumn({ nullable: true })
  recordingUploadedAt: Date | null;

  /** When the ACD last offered the call to an agent (their phone rang, they got the screen pop); null: never offered. */
  @UtcDateTimeColumn({ nullable: true })
  offeredAt: Date | null;

  /** The key pressed in the post-call survey (1, 2 or 3 rate it; another key is kept but rates nothing). */
  @Column({ type: 'varchar', length: 1, nullable: true })
  surveyDigit: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  surveyRating: SurveyRating | null;

  /** 回拨: when an agent called the citizen back after a missed or abandoned call. */
  @UtcDateTimeColumn({ nullable: true })
  calledBackAt: Date | null;

  @Column({ type: 'int', nullable: true })
  calledBackById: number | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'calledBackById' })
  calledBackBy?: User | null;

  /** Bumped by every change. */
  @Column({ type: 'int', default: 1 })
  version: number;
}

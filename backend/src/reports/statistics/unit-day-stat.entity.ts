import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The figures of the orders a unit leads, per day of the center (CENTER_TIMEZONE), pre-aggregated so a report sums
 * at most (days × units) rows instead of scanning orders. Each column counts orders by the day of one of their times
 * (docs/reports.md "Daily statistics" says which); the statistics job keeps them in step with the orders from the
 * timeline (see statistics.service.ts) and a nightly check compares them with the orders.
 */
@Entity('unit_day_stats')
export class UnitDayStat {
  /** The center's local date, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'int' })
  unitId: number;

  /** Dispatched to the unit (by dispatchedAt). */
  @Column({ type: 'int', default: 0 }) received: number;
  /** Of `received`: accepted on time and the citizen contacted on time (响应). */
  @Column({ type: 'int', default: 0 }) respondedInTime: number;
  /** By acceptedAt. */
  @Column({ type: 'int', default: 0 }) accepted: number;
  @Column({ type: 'int', default: 0 }) acceptedOnTime: number;
  /** By repliedAt. */
  @Column({ type: 'int', default: 0 }) replied: number;
  @Column({ type: 'int', default: 0 }) repliedOnTime: number;
  /** Sum of the recorded working minutes late of the replies that day. */
  @Column({ type: 'int', default: 0 }) replyLateMinutes: number;
  /** By replyDueAt: not replied and flagged overdue. */
  @Column({ type: 'int', default: 0 }) overdueOpen: number;
  /** By calledBackAt: the callback reached the citizen. */
  @Column({ type: 'int', default: 0 }) calledBack: number;
  @Column({ type: 'int', default: 0 }) resolvedAtCallback: number;
  @Column({ type: 'int', default: 0 }) satisfied: number;
  @Column({ type: 'int', default: 0 }) basicallySatisfied: number;
  @Column({ type: 'int', default: 0 }) dissatisfied: number;
  /** By closedAt. */
  @Column({ type: 'int', default: 0 }) closed: number;
  @Column({ type: 'int', default: 0 }) closedReopened: number;
  @Column({ type: 'int', default: 0 }) closedCallbackRequired: number;
  @Column({ type: 'int', default: 0 }) closedCalledBack: number;
  /** Of `received` (by dispatchedAt): with an approved extension / supervised (督办) / a repeat complaint (重复件). */
  @Column({ type: 'int', default: 0 }) extended: number;
  @Column({ type: 'int', default: 0 }) supervised: number;
  @Column({ type: 'int', default: 0 }) repeats: number;
}

/** The counting columns of UnitDayStat, in a fixed order (the SQL and the contributions use it). */
export const UNIT_DAY_METRICS = [
  'received',
  'respondedInTime',
  'accepted',
  'acceptedOnTime',
  'replied',
  'repliedOnTime',
  'replyLateMinutes',
  'overdueOpen',
  'calledBack',
  'resolvedAtCallback',
  'satisfied',
  'basicallySatisfied',
  'dissatisfied',
  'closed',
  'closedReopened',
  'closedCallbackRequired',
  'closedCalledBack',
  'extended',
  'supervised',
  'repeats',
] as const;
export type UnitDayMetric = (typeof UNIT_DAY_METRICS)[number];
export type UnitDayFigures = Record<UnitDayMetric, number>;

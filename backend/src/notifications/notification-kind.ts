/**
 * What a notification is about. Dotted like the event names; the console picks an icon and a colour by kind.
 * Stored as varchar(48), so new kinds need no migration: add them here.
 */
export const NOTIFICATION_KINDS = [
  /** 黄灯: a running deadline is close (a reminder, 催办, to the handling unit). */
  'deadline.yellow',
  /** 红灯: a deadline has passed (逾期). */
  'deadline.red',
  /** 督办: the center (or the system) opened a supervision with a new deadline. */
  'supervision',
  /** A further escalation level: the unit's admin, the parent unit, the center's supervisors. */
  'escalation',
  /** 重复件: a repeat complaint about an order the unit already has. */
  'repeat',
  /** An order was dispatched to the user's unit or handed to the user. */
  'work_order.assigned',
  /** 改派: the center took an order back from the user's unit. */
  'work_order.recalled',
  /** 争议件: the shirking rules found an order returned repeatedly or bounced between units; the center's supervisors rule it. */
  'work_order.disputed',
  /** 裁定: the center ruled a disputed order to the user's unit (lead or assisting); the lead unit cannot return it. */
  'work_order.ruled',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Longest kind the column holds. */
export const NOTIFICATION_KIND_MAX_LENGTH = 48;
export const NOTIFICATION_TITLE_MAX_LENGTH = 200;

/** The kinds that also go out over the outbound channel (SMS) unless the module is configured otherwise. */
export const DEFAULT_URGENT_NOTIFICATION_KINDS: readonly NotificationKind[] = ['deadline.red', 'escalation'];

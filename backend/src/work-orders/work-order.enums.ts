export const REQUEST_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The level of an order's running deadlines: yellow when little time is left, red when overdue. */
export const WARNING_LEVELS = ['none', 'yellow', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const CHANNELS = ['phone', 'web', 'wechat', 'app', 'email', 'open311', 'partner_hotline', 'media', 'onsite'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/**
 * registered 待派单 → dispatched 待签收 → processing 办理中 → reply_review 待审核 → callback_pending 待回访 → closed 已办结.
 * Side states: return_requested 退单待审, suspended 已挂起, merged 已合并, cancelled 已撤销 (a child order whose return the parent unit approved).
 */
export const WORK_ORDER_STATUSES = [
  'registered',
  'dispatched',
  'return_requested',
  'processing',
  'suspended',
  'reply_review',
  'callback_pending',
  'closed',
  'merged',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const OPEN_STATUSES: readonly WorkOrderStatus[] = WORK_ORDER_STATUSES.filter(
  (s) => s !== 'closed' && s !== 'merged' && s !== 'cancelled',
);

/** Actions on an existing order, each `POST /api/work-orders/:id/<action>`. Registering is `POST /api/work-orders`. */
export const WORK_ORDER_ACTIONS = [
  'resolve-directly',
  'dispatch',
  'accept',
  'return',
  'approve-return',
  'reject-return',
  'sub-dispatch',
  'contact',
  'reply',
  'approve-reply',
  'reject-reply',
  'callback',
  'reopen',
  'request-extension',
  'approve-extension',
  'refuse-extension',
  'suspend',
  'resume',
  'remind',
  'supervise',
  'merge',
  'unmerge',
  'link',
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/**
 * Timeline event names: registration, every action, and `reveal-contact` — a lead-unit user was given the
 * citizen's full phone number (recorded for accountability; it changes neither status nor version, and is not
 * a lifecycle action of the state machine). The deadline scheduler (actor `system`) also writes `remind` and
 * `supervise`, plus `overdue` (a deadline passed: flagged red) and `escalate` (a further escalation level).
 */
export const TIMELINE_ACTIONS = ['register', ...WORK_ORDER_ACTIONS, 'reveal-contact', 'overdue', 'escalate'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

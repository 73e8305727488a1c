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

/** How a callback (回访) ended: what the order's `callbackOutcome` records once it is closed (or reopened by it). */
export const CALLBACK_OUTCOMES = ['resolved', 'unresolved', 'dissatisfied', 'unreachable', 'declined', 'not_required'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/** What the citizen said on a callback: the outcomes an agent records with `callback` (the others the system sets). */
export const CALLBACK_ANSWERS = ['resolved', 'unresolved', 'declined'] as const;
export type CallbackAnswer = (typeof CALLBACK_ANSWERS)[number];

/** 无效工单: why a registered order was marked invalid. */
export const INVALID_REASONS = ['test_call', 'prank', 'no_content', 'duplicate_call', 'other'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

/** 退单原因: why a lead unit sends an order back. */
export const RETURN_REASONS = ['not_our_responsibility', 'wrong_place', 'duplicate', 'needs_other_unit', 'insufficient_information', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/**
 * registered 待派单 → dispatched 待签收 → processing 办理中 → [unit_review 待单位审签 →] reply_review 待审核 → callback_pending 待回访 → closed 已办结.
 * Side states: return_requested 退单待审, suspended 已挂起, merged 已合并, cancelled 已撤销 (a child order whose return the
 * parent unit approved), invalid 无效工单 (a test call, a prank, no content; a supervisor may restore it).
 */
export const WORK_ORDER_STATUSES = [
  'registered',
  'dispatched',
  'return_requested',
  'processing',
  'suspended',
  'unit_review',
  'reply_review',
  'callback_pending',
  'closed',
  'merged',
  'cancelled',
  'invalid',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** The Chinese name of each status (GLOSSARY.md): the lifecycle diagram and the report exports label statuses with it. */
export const STATUS_NAMES: Record<WorkOrderStatus, string> = {
  registered: '待派单',
  dispatched: '待签收',
  return_requested: '退单待审',
  processing: '办理中',
  suspended: '已挂起',
  unit_review: '待单位审签',
  reply_review: '待审核',
  callback_pending: '待回访',
  closed: '已办结',
  merged: '已合并',
  cancelled: '已撤销',
  invalid: '无效',
};

/** Statuses in which nothing more happens to the order unless someone reverses it (reopen, unmerge, restore). */
export const FINISHED_STATUSES: readonly WorkOrderStatus[] = ['closed', 'merged', 'cancelled', 'invalid'];

export const OPEN_STATUSES: readonly WorkOrderStatus[] = WORK_ORDER_STATUSES.filter((s) => !FINISHED_STATUSES.includes(s));

/** Actions on an existing order, each `POST /api/work-orders/:id/<action>`. Registering is `POST /api/work-orders`. */
export const WORK_ORDER_ACTIONS = [
  'resolve-directly',
  'invalidate',
  'restore',
  'dispatch',
  'recall',
  'accept',
  'return',
  'approve-return',
  'reject-return',
  'rule',
  'assign',
  'sub-dispatch',
  'contact',
  'assist-reply',
  'reply',
  'unit-approve-reply',
  'unit-reject-reply',
  'approve-reply',
  'reject-reply',
  'callback-attempt',
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
  'mark-repeat',
  'unmark-repeat',
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/**
 * Timeline event names: registration, every action, and `reveal-contact` — a lead-unit user was given the
 * citizen's full phone number (recorded for accountability; it changes neither status nor version, and is not
 * a lifecycle action of the state machine). The deadline scheduler (actor `system`) also writes `remind` and
 * `supervise`, plus `overdue` (a deadline passed: flagged red) and `escalate` (a further escalation level).
 * `close-with-target` is written on an order merged into another when the target's reply is approved: it moves on
 * with the target's reply to its own callback. The repeat detector writes `repeat-detected` (on a new order it found
 * to repeat an earlier one), `repeat-received` (on that earlier order) and `hotspot-joined` (an order whose matter is a hotspot).
 * Shirking detection writes `shirking-flagged` (a rule of docs/shirking.md raised or updated a flag on the order) and
 * `disputed` (the order became a disputed order, 争议件, which a supervisor settles with the action `rule`).
 * 话务 (cti/) writes `call-survey`: the IVR survey of a call linked to the order (actor `system`; payload callId,
 * callRecordId, digit, rating, ratedAt) — once per call and order.
 */
export const TIMELINE_ACTIONS = [
  'register',
  ...WORK_ORDER_ACTIONS,
  'reveal-contact',
  'overdue',
  'escalate',
  // The deadline scheduler changed the warning level with no reminder or overdue step (actor `system`).
  'warning-changed',
  'close-with-target',
  // The repeat detector (actor `system`): this order repeats an earlier one / an earlier order got a new repeat / the order's matter became a hotspot.
  'repeat-detected',
  'repeat-received',
  'hotspot-joined',
  // Shirking detection (actor `system`, shirking/): a rule raised or updated a flag on the order / the order became disputed (争议件).
  'shirking-flagged',
  'disputed',
  // 话务 (actor `system`, cti/): the IVR survey of a call linked to the order.
  'call-survey',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

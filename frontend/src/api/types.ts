/**
 * Types of the backend API (`/api`, JSON).
 *
 * Hand-written from the backend's entities and enums (backend/src/work-orders/work-order.enums.ts,
 * backend/src/users/role.ts, backend/src/units/unit-type.ts) until the backend publishes its OpenAPI
 * document; then this file should be generated from it. Times are ISO 8601 strings.
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

export const REQUEST_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CHANNELS = [
  'phone',
  'web',
  'wechat',
  'app',
  'email',
  'open311',
  'partner_hotline',
  'media',
  'onsite',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** Actions on an existing order (`POST /api/work-orders/:id/<action>`). */
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
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/** Timeline event names: every action plus registration, the lead unit's reveal of a masked phone, the scheduler's `overdue`/`escalate`, and a merged order following its target (`close-with-target`). */
export const TIMELINE_ACTIONS = ['register', ...WORK_ORDER_ACTIONS, 'reveal-contact', 'overdue', 'escalate', 'close-with-target'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

/** Roles at the hotline center. */
/** `auditor` (安全审计员) reads the audit trail only. */
export const CENTER_ROLES = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin', 'auditor'] as const;
/** Roles inside a handling department (承办单位). */
export const UNIT_ROLES = ['handler', 'unit_admin'] as const;
export const ROLES = [...CENTER_ROLES, ...UNIT_ROLES] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_TYPES = ['center', 'district', 'bureau', 'street', 'community', 'grid', 'utility'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const WARNING_LEVELS = ['none', 'yellow', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export const WARNING_FILTERS = ['yellow', 'red'] as const;
export type WarningFilter = (typeof WARNING_FILTERS)[number];

/** The body of every error response. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  correlationId: string;
  /** A machine-readable reason where the console must react, e.g. {@link PASSWORD_CHANGE_REQUIRED}. */
  code?: string;
}

/** `code` of the 403 every route but `/me`, logout and the password change answers while `mustChangePassword` is set. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';

/** Body of `POST /auth/change-password` (204; every session of the user ends). */
export interface ChangePasswordRequest {
  currentPassword: string;
  /** At least 10 characters with letters and digits, at most 256; not the current one. */
  newPassword: string;
}

export interface UnitSummary {
  id: number;
  code: string;
  name: string;
}

/** 协办: an assisting unit and its part (every unit on the order sees all parts). */
export interface AssistingPart extends UnitSummary {
  /** When the part is due (one working day before the lead's reply by default). */
  dueAt: string | null;
  /** The part as last submitted; null while not submitted. */
  reply: string | null;
  repliedAt: string | null;
  /** Working minutes the first submission came after `dueAt`. */
  lateMinutes: number | null;
  /** Not submitted and past `dueAt`. */
  overdue: boolean;
}

/** 分派: the user an order is assigned to inside the lead unit. */
export interface UserSummary {
  id: number;
  displayName: string;
}

export interface UserUnit extends UnitSummary {
  type: UnitType;
}

export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unit: UserUnit | null;
  /**
   * The account has a one-time password (new, or reset by an administrator): until it is changed
   * (`POST /auth/change-password`) every other route answers 403 {@link PASSWORD_CHANGE_REQUIRED}.
   * The server always sends it; optional so that fixtures of ordinary users may leave it out (absent = false).
   */
  mustChangePassword?: boolean;
}

export interface LoginRequest {
  username: string;
  password: string;
}

/** Answer of `POST /auth/login` and `POST /auth/refresh`. */
export interface AuthSession {
  accessToken: string;
  refreshToken: string;
  user: CurrentUser;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The work-order list's page: totals exact up to 10,000 (`totalExact`), keyset paging by `nextCursor`. */
export interface WorkOrderPage<T> extends Page<T> {
  totalExact: boolean;
  hasMore: boolean;
  nextCursor: string | null;
}

/** Numbered pages of the work-order list reach this many orders; the server refuses deeper offsets. */
export const WORK_ORDER_LIST_MAX_OFFSET = 2000;

export type SortOrder = 'ASC' | 'DESC';
export const WORK_ORDER_SORT_FIELDS = ['createdAt', 'replyDueAt', 'number', 'urgency'] as const;
export type WorkOrderSortField = (typeof WORK_ORDER_SORT_FIELDS)[number];
export const MAX_PAGE_SIZE = 100;

/** Query of `GET /work-orders`. */
export interface WorkOrderQuery {
  status?: WorkOrderStatus;
  leadUnitId?: number;
  categoryId?: number;
  requestType?: RequestType;
  channel?: Channel;
  /** Orders with a yellow or red warning. */
  warning?: WarningFilter;
  /** ISO time, inclusive. */
  createdFrom?: string;
  /** ISO time, inclusive. */
  createdTo?: string;
  citizenPhone?: string;
  keyword?: string;
  sortBy?: WorkOrderSortField;
  sortOrder?: SortOrder;
  page?: number;
  /** At most {@link MAX_PAGE_SIZE}. */
  pageSize?: number;
}

export interface CategorySummary {
  id: number;
  name: string;
  path: string;
}

export interface Attachment {
  id: number;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface WorkOrder {
  id: number;
  number: string;
  parentId: number | null;
  mergedIntoId: number | null;
  requestType: RequestType;
  urgency: Urgency;
  channel: Channel;
  status: WorkOrderStatus;
  /** Masked by the server when the reader may not see it. */
  citizenName: string | null;
  /** Masked by the server when the reader may not see it. */
  citizenPhone: string | null;
  citizenConfidential: boolean;
  address: string;
  districtUnitId: number | null;
  streetUnitId: number | null;
  latitude: number | null;
  longitude: number | null;
  categoryId: number;
  category: CategorySummary | null;
  title: string;
  content: string;
  leadUnitId: number | null;
  leadUnit: UnitSummary | null;
  assistingUnits: AssistingPart[];
  assigneeId: number | null;
  assignee: UserSummary | null;
  dispatchDueAt: string | null;
  acceptDueAt: string | null;
  contactDueAt: string | null;
  replyDueAt: string | null;
  returnDeadlineAt: string | null;
  /** The scheduler's verdict over the running deadlines. */
  warningLevel: WarningLevel;
  escalationStage: number;
  /** Lateness recorded when it happened, in the limit's minutes (working minutes for working-time limits). */
  acceptLateMinutes: number | null;
  contactLateMinutes: number | null;
  replyLateMinutes: number | null;
  dispatchedAt: string | null;
  acceptedAt: string | null;
  firstContactAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  reply: string | null;
  satisfaction: Satisfaction | null;
  resolved: boolean | null;
  returnCount: number;
  reopenCount: number;
  supervised: boolean;
  extensionRequestedDueAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  attachments: Attachment[];
}

export interface TimelineEvent {
  id: number;
  /** A {@link TimelineAction}; typed loosely so that a newer backend does not break the page. */
  action: string;
  fromStatus: WorkOrderStatus | null;
  toStatus: WorkOrderStatus | null;
  actorId: number | null;
  actorName: string | null;
  actorRole: Role | null;
  unitId: number | null;
  unitName: string | null;
  reason: string | null;
  payload: Record<string, unknown> | null;
  createdAt: string;
}

export const DEADLINE_KINDS = ['dispatch', 'accept', 'contact', 'reply', 'return'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** One deadline of an order with what is left of it. */
export interface WorkOrderDeadline {
  kind: DeadlineKind;
  dueAt: string;
  running: boolean;
  /** `working`: office minutes count; `calendar`: every minute. */
  clock: 'working' | 'calendar';
  /** Whole minutes left on `clock`, negative when overdue. */
  remainingWorkingMinutes: number;
  level: WarningLevel;
}

/** Answer of `GET /work-orders/:id`. */
export interface WorkOrderDetail extends WorkOrder {
  deadlines: WorkOrderDeadline[];
  timeline: TimelineEvent[];
  /** What the current user may do to this order now, as {@link WorkOrderAction} names. */
  allowedActions: string[];
}

// ---- Working calendar (`/calendar`) ----

export const DAY_KINDS = ['workday', 'weekend', 'holiday', 'makeup_workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export type DaySource = 'override' | 'builtin' | 'weekday-rule';

/** One local day (YYYY-MM-DD, Asia/Shanghai) of `GET /calendar/days`. */
export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string | null;
  source: DaySource;
}

export interface CalendarOverride {
  id: number;
  date: string;
  kind: DayKind;
  name: string | null;
  note: string | null;
  createdById: number;
  updatedById: number;
  createdAt: string;
  updatedAt: string;
}

export interface CalendarOverrideInput {
  date: string;
  kind: DayKind;
  name: string | null;
  note: string | null;
}

export type CalendarOverrideChange = Omit<CalendarOverrideInput, 'date'>;

// ---- Time-limit rules (`/deadline-rules`) ----

export const LIMIT_UNITS = ['working_days', 'working_hours', 'calendar_hours'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];
export const LIMIT_NAMES = ['dispatch', 'accept', 'contact', 'reply', 'reopen', 'returnWindow', 'extensionCap'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

export interface DeadlineRule {
  requestType: RequestType;
  urgency: Urgency;
  /** Null for the request type × urgency rule; a category id for its override. */
  categoryId: number | null;
  limits: Record<LimitName, Limit>;
}

export interface DeadlineRules {
  items: DeadlineRule[];
}

// ---- Notifications (`/notifications`, socket event `notification.created`) ----

export const NOTIFICATION_KINDS = [
  'deadline.yellow',
  'deadline.red',
  'supervision',
  'escalation',
  'repeat',
  'work_order.assigned',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface AppNotification {
  id: number;
  /** A {@link NotificationKind}; typed loosely so that a newer backend does not break the bell. */
  kind: string;
  title: string;
  body: string | null;
  workOrderId: number | null;
  payload: Record<string, unknown> | null;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationList {
  items: AppNotification[];
  unreadCount: number;
  nextCursor: string | null;
}

export interface NotificationQuery {
  unreadOnly?: boolean;
  cursor?: string;
  limit?: number;
}

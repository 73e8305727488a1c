/**
 * The console's names for the API's types: aliases of the types generated from the backend's OpenAPI document
 * (`generated/openapi.ts`, written by `npm run api:types` from docs/openapi.json — never edit it by hand). A field the
 * backend adds or changes reaches the console through the generated file; `npm run api:check` fails when the
 * committed files differ from what the backend's code describes.
 */
import type { components, operations } from './generated/openapi';
import {
  candidateKindValues,
  candidateReasonCodeValues,
  channelValues,
  dayKindValues,
  deadlineKindValues,
  invalidReasonValues,
  limitUnitValues,
  notificationKindValues,
  pathsApiWorkOrdersGetParametersQuerySortByValues,
  pathsApiWorkOrdersGetParametersQueryWarningValues,
  requestTypeValues,
  returnReasonValues,
  roleValues,
  satisfactionValues,
  shirkingRuleValues,
  timelineActionValues,
  unitTypeValues,
  urgencyValues,
  warningLevelValues,
  workOrderActionValues,
  workOrderStatusValues,
} from './generated/openapi';

type Schemas = components['schemas'];

// ---- Enumerations (values as the backend declares them) ----
export type WorkOrderStatus = Schemas['WorkOrderStatus'];
export const WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = workOrderStatusValues;
export type RequestType = Schemas['RequestType'];
export const REQUEST_TYPES: readonly RequestType[] = requestTypeValues;
export type Urgency = Schemas['Urgency'];
export const URGENCIES: readonly Urgency[] = urgencyValues;
export type Channel = Schemas['Channel'];
export const CHANNELS: readonly Channel[] = channelValues;
export type Satisfaction = Schemas['Satisfaction'];
export const SATISFACTIONS: readonly Satisfaction[] = satisfactionValues;
export type WorkOrderAction = Schemas['WorkOrderAction'];
export const WORK_ORDER_ACTIONS: readonly WorkOrderAction[] = workOrderActionValues;
export type TimelineAction = Schemas['TimelineAction'];
export const TIMELINE_ACTIONS: readonly TimelineAction[] = timelineActionValues;
export type Role = Schemas['Role'];
export const ROLES: readonly Role[] = roleValues;
/** Roles of the units' staff; every other role belongs to the center. */
export const UNIT_ROLES: readonly Role[] = ['handler', 'unit_admin'];
export const CENTER_ROLES: readonly Role[] = ROLES.filter((role) => !UNIT_ROLES.includes(role));
export type UnitType = Schemas['UnitType'];
export const UNIT_TYPES: readonly UnitType[] = unitTypeValues;
export type WarningLevel = Schemas['WarningLevel'];
export const WARNING_LEVELS: readonly WarningLevel[] = warningLevelValues;
export type ReturnReason = Schemas['ReturnReason'];
export const RETURN_REASONS: readonly ReturnReason[] = returnReasonValues;
export type InvalidReason = Schemas['InvalidReason'];
export const INVALID_REASONS: readonly InvalidReason[] = invalidReasonValues;
export type CallbackAnswer = Schemas['CallbackAnswer'];
export type DeadlineKind = Schemas['DeadlineKind'];
export const DEADLINE_KINDS: readonly DeadlineKind[] = deadlineKindValues;
export type DayKind = Schemas['DayKind'];
export const DAY_KINDS: readonly DayKind[] = dayKindValues;
export type DaySource = Schemas['DaySource'];
export type LimitUnit = Schemas['LimitUnit'];
export const LIMIT_UNITS: readonly LimitUnit[] = limitUnitValues;
export type NotificationKind = Schemas['NotificationKind'];
export const NOTIFICATION_KINDS: readonly NotificationKind[] = notificationKindValues;

// ---- Errors and sessions ----
export type ApiErrorBody = Schemas['ApiErrorResponse'];
/** `code` of the 403 that every route answers until a one-time password is changed. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';
export type CurrentUser = Schemas['UserResponse'];
export type UserUnit = Schemas['UserUnitResponse'];
export type AuthSession = Schemas['AuthTokensResponse'];
export type LoginRequest = Schemas['LoginDto'];
export type ChangePasswordRequest = Schemas['ChangePasswordDto'];

// ---- Work orders ----
export type WorkOrder = Schemas['WorkOrderResponse'];
export type WorkOrderDetail = Schemas['WorkOrderDetailResponse'];
export type WorkOrderPage = Schemas['WorkOrderPageResponse'];
export type WorkOrderSummary = Schemas['WorkOrderSummaryResponse'];
export type WorkOrderDeadline = Schemas['WorkOrderDeadlineResponse'];
export type WorkOrderReturn = Schemas['WorkOrderReturnResponse'];
export type TimelineEvent = Schemas['TimelineEventResponse'];
export type AssistingPart = Schemas['AssistingPartResponse'];
export type Attachment = Schemas['AttachmentResponse'];
export type UnitRef = Schemas['UnitRefResponse'];
export type UserRef = Schemas['UserRefResponse'];
export type RegisterWorkOrderRequest = Schemas['RegisterWorkOrderDto'];
export type RevealedContact = Schemas['RevealedContactResponse'];
/** Query of `GET /api/work-orders` (filters, sort, page or cursor). */
export type WorkOrderQuery = NonNullable<operations['WorkOrdersController_list']['parameters']['query']>;
export type WorkOrderSortField = NonNullable<WorkOrderQuery['sortBy']>;
export const WORK_ORDER_SORT_FIELDS: readonly WorkOrderSortField[] = pathsApiWorkOrdersGetParametersQuerySortByValues;
export type SortOrder = NonNullable<WorkOrderQuery['sortOrder']>;
export type WarningFilter = NonNullable<WorkOrderQuery['warning']>;
export const WARNING_FILTERS: readonly WarningFilter[] = pathsApiWorkOrdersGetParametersQueryWarningValues;
/** Numbered pages reach this many orders; deeper, the list follows `nextCursor` (the backend answers 400). */
export const WORK_ORDER_LIST_MAX_OFFSET = 2000;
export const MAX_PAGE_SIZE = 100;

// ---- Organisation ----
export type UnitTreeNode = Schemas['UnitTreeNodeResponse'];
export type Unit = Schemas['UnitResponse'];
export type CategoryTreeNode = Schemas['CategoryTreeNodeResponse'];
export type Category = Schemas['CategoryResponse'];
export type UserAccount = Schemas['UserResponse'];
export type UserPage = Schemas['UserPageResponse'];

// ---- Working calendar and time limits ----
export type CalendarDay = Schemas['CalendarDayResponse'];
export type CalendarOverride = Schemas['CalendarOverrideResponse'];
export type CalendarOverrideInput = Schemas['CreateOverrideDto'];
export type CalendarOverrideChange = Schemas['UpdateOverrideDto'];
export type Limit = Schemas['LimitResponse'];
export type Limits = Schemas['LimitsResponse'];
export type LimitName = keyof Limits;
/** Every limit of a rule, in the order the rules page shows them (the record makes a new backend limit a type error here). */
const LIMIT_ORDER: Record<LimitName, number> = { dispatch: 0, accept: 1, contact: 2, reply: 3, reopen: 4, returnWindow: 5, extensionCap: 6 };
export const LIMIT_NAMES: readonly LimitName[] = (Object.keys(LIMIT_ORDER) as LimitName[]).sort((a, b) => LIMIT_ORDER[a] - LIMIT_ORDER[b]);
export type DeadlineRule = Schemas['DeadlineRuleResponse'];
export type DeadlineRules = Schemas['DeadlineRulesResponse'];

// ---- Notifications ----
export type AppNotification = Schemas['NotificationResponse'];
export type NotificationList = Schemas['NotificationListResponse'];
export type NotificationQuery = NonNullable<operations['NotificationsController_list']['parameters']['query']>;

// ---- Audit trail ----
export type AuditEvent = Schemas['AuditEventResponse'];
export type AuditEventList = Schemas['AuditEventListResponse'];

// ---- Repeats (重复件), hotspots (多人反映), shirking (推诿扯皮) and rulings (裁定) ----
/** repeat: same caller, same matter; hotspot: another caller, same matter and place; similar: alike, below the thresholds. */
export type CandidateKind = Schemas['CandidateKind'];
export const CANDIDATE_KINDS: readonly CandidateKind[] = candidateKindValues;
export type CandidateReasonCode = Schemas['CandidateReasonCode'];
export const CANDIDATE_REASON_CODES: readonly CandidateReasonCode[] = candidateReasonCodeValues;
export type CandidateReason = Schemas['CandidateReasonResponse'];
export type SimilarOrder = Schemas['SimilarOrderResponse'];
/** The registration's answer: the new order with the earlier orders about the same matter (`similarOrders`). */
export type RegisteredWorkOrder = Schemas['RegisteredWorkOrderResponse'];
export type Hotspot = Schemas['HotspotResponse'];
export type HotspotMember = Schemas['HotspotMemberResponse'];
export type HotspotPage = Schemas['HotspotPageResponse'];
export type HotspotQuery = NonNullable<operations['HotspotsController_list']['parameters']['query']>;
export type ShirkingRule = Schemas['ShirkingRule'];
export const SHIRKING_RULES: readonly ShirkingRule[] = shirkingRuleValues;
export type ShirkingOrder = Schemas['ShirkingOrderResponse'];
export type ShirkingFlag = Schemas['ShirkingFlagResponse'];
export type ShirkingQueueItem = Schemas['ShirkingQueueItemResponse'];
export type ShirkingQueue = Schemas['ShirkingQueueResponse'];
export type ShirkingQuery = NonNullable<operations['ShirkingController_queue']['parameters']['query']>;
export type ShirkingUnit = Schemas['ShirkingUnitResponse'];
export type ShirkingUnits = Schemas['ShirkingUnitsResponse'];
export type ShirkingUnitsQuery = NonNullable<operations['ShirkingController_units']['parameters']['query']>;

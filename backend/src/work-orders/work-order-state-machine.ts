import { isUnitRole, type Role } from '../users/role';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES, type WorkOrderAction, type WorkOrderStatus } from './work-order.enums';

/** What the rules need to know about the order. */
export interface OrderFacts {
  status: WorkOrderStatus;
  leadUnitId: number | null;
  /** 协办: the units assisting the lead unit. */
  assistingUnitIds: readonly number[];
  /** For a child order (下派): the lead unit of its parent, which supervises it. */
  parentLeadUnitId: number | null;
  isChild: boolean;
  hasPendingExtension: boolean;
  hasOpenChildren: boolean;
  /** The return window (退单 within 2 working days of dispatch by default) has not closed yet. */
  returnWindowOpen: boolean;
  /** The lead unit's setting 领导审签: a handler's reply goes to the unit_admin first. */
  leaderSignOff: boolean;
  /** The order's request type needs a callback once its reply is approved (praise, by default, does not). */
  callbackRequired: boolean;
  /** An unanswered callback attempt now would be the last one that counts: the order then closes as unreachable. */
  nextCallbackAttemptIsLast: boolean;
  statusBeforeSuspension: WorkOrderStatus | null;
  statusBeforeMerge: WorkOrderStatus | null;
  /** 重复件: the order is marked as a repeat of an earlier one (repeatOfId set). */
  isRepeat: boolean;
  /** 争议件: the shirking rules found the order returned repeatedly or bounced between units (docs/shirking.md). */
  disputed: boolean;
  /** 裁定: the unit the center ruled the order to, and when (null: never ruled); that unit may not return it. */
  ruledUnitId: number | null;
  ruledAt: Date | null;
}

export interface ActorFacts {
  role: Role;
  unitId: number;
}

/** What the caller's request decides about the target (the rest of the input only shapes the changes). */
export interface ActionChoice {
  /** recall: a new lead unit was named, so the order is dispatched there at once (改派). */
  redispatch?: boolean;
  /** callback: the answer sends the order back for another round (unresolved, or dissatisfied under the reopen rule). */
  reopens?: boolean;
}

type Who = (order: OrderFacts, actor: ActorFacts) => boolean;

/** The action leaves the status as it is. */
export const SAME = 'same' as const;

/** A target decided by the order, the actor or the request: every status it can lead to is listed (docs/lifecycle.md draws them). */
export interface Decision {
  possible: readonly WorkOrderStatus[];
  decide: (order: OrderFacts, actor: ActorFacts, choice: ActionChoice) => WorkOrderStatus;
  /** How the target is chosen, in a few words, for the generated diagram. */
  when: Partial<Record<WorkOrderStatus, string>>;
}

export type Target = WorkOrderStatus | typeof SAME | Decision;

export interface Rule {
  from: readonly WorkOrderStatus[];
  who: Who;
  /** Extra state the order must be in besides its status; `blocker` says why not, for the 409. The first failing one is named. */
  requires?: Requirement | readonly Requirement[];
  /** The status the action leads to. */
  to: Target;
}

interface Requirement {
  test: (order: OrderFacts) => boolean;
  /** Why not, for the 409; a function when the reason names something of the order (e.g. the date of a ruling). */
  blocker: string | ((order: OrderFacts) => string);
}

const centerRoles =
  (...roles: Role[]): Who =>
  (_order, actor) =>
    roles.includes(actor.role);

/** Center staff act on top-level orders; child orders are the parent unit's business. */
const centerOnTopLevel =
  (...roles: Role[]): Who =>
  (order, actor) =>
    !order.isChild && roles.includes(actor.role);

const leadUnit: Who = (order, actor) => isUnitRole(actor.role) && order.leadUnitId !== null && actor.unitId === order.leadUnitId;

/** The lead unit's leader (unit_admin): assigns inside the unit and signs replies off. */
const leadUnitAdmin: Who = (order, actor) => actor.role === 'unit_admin' && leadUnit(order, actor);

/** Staff of a unit that assists on the order (协办), and is not its lead unit. */
const assistingUnit: Who = (order, actor) =>
  isUnitRole(actor.role) && actor.unitId !== order.leadUnitId && order.assistingUnitIds.includes(actor.unitId);

const parentUnit: Who = (order, actor) =>
  order.isChild && isUnitRole(actor.role) && order.parentLeadUnitId !== null && actor.unitId === order.parentLeadUnitId;

const either =
  (...whos: Who[]): Who =>
  (order, actor) =>
    whos.some((who) => who(order, actor));

const noOpenChildren = (blocker: string): Requirement => ({ test: (o) => !o.hasOpenChildren, blocker });

/** The 409 of a return by the unit the center ruled the order to. */
const rulingBlocker = (o: OrderFacts): string =>
  `the center ruled this order to your unit${o.ruledAt ? ` on ${o.ruledAt.toISOString()}` : ''} (裁定): it cannot be returned`;

/**
 * The lifecycle in one table: for each action, the statuses it may start from, who may take it, what else must
 * hold, and the status it leads to. The services apply the effects; the target always comes from here.
 * docs/lifecycle.md's diagram is generated from this table (npm run docs:lifecycle -w backend; a test compares).
 */
export const RULES: Record<WorkOrderAction, Rule> = {
  // Intake (受理)
  'resolve-directly': { from: ['registered'], who: centerOnTopLevel('agent', 'dispatcher'), to: 'closed' },
  invalidate: { from: ['registered'], who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'), to: 'invalid' },
  restore: { from: ['invalid'], who: centerOnTopLevel('supervisor'), to: 'registered' },

  // Dispatch and return (派单, 改派, 退单)
  dispatch: { from: ['registered'], who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'), to: 'dispatched' },
  recall: {
    from: ['dispatched', 'return_requested', 'processing'],
    who: centerOnTopLevel('dispatcher', 'supervisor'),
    requires: noOpenChildren('its sub-dispatched child orders are still open'),
    to: {
      possible: ['dispatched', 'registered'],
      decide: (_o, _a, choice) => (choice.redispatch ? 'dispatched' : 'registered'),
      when: { dispatched: 'a new lead unit named (改派)', registered: 'back to dispatch' },
    },
  },
  accept: { from: ['dispatched'], who: leadUnit, to: 'processing' },
  return: {
    from: ['dispatched', 'processing'],
    who: leadUnit,
    requires: [
      // 裁定: the center decided this unit owns the order; that settles it.
      { test: (o) => o.ruledUnitId === null || o.ruledUnitId !== o.leadUnitId, blocker: rulingBlocker },
      // 首接负责: once the window has passed the unit keeps the order and handles it (or asks the center to reassign it).
      { test: (o) => o.returnWindowOpen, blocker: 'the return window has closed (returns are allowed only within the return window after dispatch; the unit now handles the order)' },
      noOpenChildren('its sub-dispatched child orders are still open'),
    ],
    to: 'return_requested',
  },
  'approve-return': {
    from: ['return_requested'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    to: {
      possible: ['registered', 'cancelled'],
      decide: (o) => (o.isChild ? 'cancelled' : 'registered'),
      when: { registered: 'top-level order', cancelled: 'child order, back to the parent unit' },
    },
  },
  'reject-return': { from: ['return_requested'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit), to: 'processing' },
  // 裁定: a supervisor settles a disputed order (争议件): it is dispatched afresh to the ruled lead unit, which may not return it.
  rule: {
    from: ['registered', 'dispatched', 'return_requested', 'processing'],
    who: centerOnTopLevel('supervisor'),
    requires: [
      { test: (o) => o.disputed, blocker: 'it is not a disputed order (only an order returned repeatedly or bounced between units is ruled)' },
      noOpenChildren('its sub-dispatched child orders are still open'),
    ],
    to: {
      possible: ['dispatched'],
      decide: () => 'dispatched',
      when: { dispatched: 'to the ruled lead unit; its limits start over' },
    },
  },

  // Handling inside the units (分派, 下派, 先行联系, 协办, 答复, 领导审签)
  assign: { from: ['processing', 'unit_review'], who: leadUnitAdmin, to: SAME },
  'sub-dispatch': { from: ['processing'], who: leadUnit, to: SAME },
  contact: { from: ['processing'], who: leadUnit, to: SAME },
  'assist-reply': { from: ['dispatched', 'processing', 'suspended', 'unit_review'], who: assistingUnit, to: SAME },
  reply: {
    from: ['processing'],
    who: leadUnit,
    requires: noOpenChildren('its sub-dispatched child orders are not all finished'),
    to: {
      possible: ['unit_review', 'reply_review'],
      decide: (o, actor) => (o.leaderSignOff && actor.role === 'handler' ? 'unit_review' : 'reply_review'),
      when: { unit_review: "a handler's reply, unit with leader sign-off", reply_review: 'otherwise' },
    },
  },
  'unit-approve-reply': { from: ['unit_review'], who: leadUnitAdmin, to: 'reply_review' },
  'unit-reject-reply': { from: ['unit_review'], who: leadUnitAdmin, to: 'processing' },

  // Review and callback (审核, 回访)
  'approve-reply': {
    from: ['reply_review'],
    who: either(centerOnTopLevel('reviewer', 'supervisor'), parentUnit),
    to: {
      possible: ['callback_pending', 'closed'],
      decide: (o) => (o.isChild || !o.callbackRequired ? 'closed' : 'callback_pending'),
      when: { callback_pending: 'top-level order that needs a callback', closed: 'child order, or no callback needed' },
    },
  },
  'reject-reply': { from: ['reply_review'], who: either(centerOnTopLevel('reviewer', 'supervisor'), parentUnit), to: 'processing' },
  'callback-attempt': {
    from: ['callback_pending'],
    who: centerOnTopLevel('callback_agent', 'supervisor'),
    to: {
      possible: ['callback_pending', 'closed'],
      decide: (o) => (o.nextCallbackAttemptIsLast ? 'closed' : 'callback_pending'),
      when: { callback_pending: 'citizen not reached yet', closed: 'last attempt: unreachable' },
    },
  },
  callback: {
    from: ['callback_pending'],
    who: centerOnTopLevel('callback_agent', 'supervisor'),
    to: {
      possible: ['closed', 'processing', 'registered'],
      decide: (o, _a, choice) => (!choice.reopens ? 'closed' : o.leadUnitId === null ? 'registered' : 'processing'),
      when: { closed: 'resolved, declined, or dissatisfied under the close rule', processing: 'not resolved: back to the unit (重办)', registered: 'not resolved, no lead unit' },
    },
  },
  reopen: {
    from: ['closed'],
    who: centerOnTopLevel('reviewer', 'callback_agent', 'supervisor'),
    to: {
      possible: ['processing', 'registered'],
      decide: (o) => (o.leadUnitId === null ? 'registered' : 'processing'),
      when: { processing: 'had a lead unit', registered: 'was resolved directly' },
    },
  },

  // Extension and suspension (延期, 挂起), pressure on late orders (催办, 督办)
  'request-extension': {
    from: ['processing'],
    who: leadUnit,
    requires: { test: (o) => !o.hasPendingExtension, blocker: 'an extension request is already waiting for a decision' },
    to: SAME,
  },
  'approve-extension': {
    from: ['processing'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    requires: { test: (o) => o.hasPendingExtension, blocker: 'there is no pending extension request' },
    to: SAME,
  },
  'refuse-extension': {
    from: ['processing'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    requires: { test: (o) => o.hasPendingExtension, blocker: 'there is no pending extension request' },
    to: SAME,
  },
  suspend: { from: ['dispatched', 'processing'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit), to: 'suspended' },
  resume: {
    from: ['suspended'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    to: {
      possible: ['dispatched', 'processing'],
      decide: (o) => (o.statusBeforeSuspension === 'dispatched' ? 'dispatched' : 'processing'),
      when: { dispatched: 'was dispatched', processing: 'was processing' },
    },
  },
  remind: { from: ['dispatched', 'processing'], who: either(centerRoles('dispatcher', 'supervisor'), parentUnit), to: SAME },
  supervise: { from: ['dispatched', 'processing', 'suspended'], who: centerRoles('supervisor'), to: SAME },

  // Merge and link (合并, 关联)
  merge: {
    from: ['registered', 'dispatched', 'processing', 'suspended'],
    who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'),
    requires: noOpenChildren('it has open sub-dispatched child orders'),
    to: 'merged',
  },
  unmerge: {
    from: ['merged'],
    who: centerOnTopLevel('dispatcher', 'supervisor'),
    to: {
      possible: ['registered', 'dispatched', 'processing', 'suspended'],
      decide: (o) => o.statusBeforeMerge ?? 'registered',
      when: { registered: 'back to the status it had', dispatched: '', processing: '', suspended: '' },
    },
  },
  link: { from: WORK_ORDER_STATUSES, who: centerRoles('agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor'), to: SAME },

  // Repeat complaints (重复件): the center marks an order as the same caller's same matter again, or takes the mark back.
  'mark-repeat': {
    // Not on an order cancelled or found invalid (a prank, a test call): there is no matter to repeat.
    from: WORK_ORDER_STATUSES.filter((status) => status !== 'cancelled' && status !== 'invalid'),
    who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'),
    requires: { test: (o) => !o.isRepeat, blocker: 'it is already marked as a repeat (unmark it first)' },
    to: SAME,
  },
  'unmark-repeat': {
    from: WORK_ORDER_STATUSES,
    who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'),
    requires: { test: (o) => o.isRepeat, blocker: 'it is not marked as a repeat' },
    to: SAME,
  },
};

/**
 * Transitions that no action on the order itself takes: an order merged into another follows its target when the
 * target's reply is approved (each citizen is called back about the shared reply, or it closes if its type needs no callback).
 */
export const FOLLOWING_TRANSITIONS: readonly { from: WorkOrderStatus; to: WorkOrderStatus; when: string }[] = [
  { from: 'merged', to: 'callback_pending', when: "close-with-target: the target's reply approved" },
  { from: 'merged', to: 'closed', when: "close-with-target: the target's reply approved, no callback needed" },
];

/** The status `action` leads to from the order's current state. */
export function targetOf(action: WorkOrderAction, order: OrderFacts, actor: ActorFacts, choice: ActionChoice = {}): WorkOrderStatus {
  const to = RULES[action].to;
  if (to === SAME) return order.status;
  if (typeof to === 'string') return to;
  return to.decide(order, actor, choice);
}

export type Verdict =
  | { allowed: true }
  | { allowed: false; reason: 'status'; message: string }
  | { allowed: false; reason: 'actor'; message: string }
  | { allowed: false; reason: 'precondition'; message: string };

/** Decides whether `actor` may take `action` on the order now, and if not, why. */
export function judge(action: WorkOrderAction, order: OrderFacts, actor: ActorFacts): Verdict {
  const rule = RULES[action];
  if (!rule.from.includes(order.status)) {
    return { allowed: false, reason: 'status', message: `Cannot ${action} a work order in status ${order.status}` };
  }
  if (!rule.who(order, actor)) {
    const who = isUnitRole(actor.role) ? `Role ${actor.role} of unit ${actor.unitId}` : `Role ${actor.role}`;
    return { allowed: false, reason: 'actor', message: `${who} may not ${action} this work order` };
  }
  const requirements: readonly Requirement[] = rule.requires === undefined ? [] : 'test' in rule.requires ? [rule.requires] : rule.requires;
  const failed = requirements.find((requirement) => !requirement.test(order));
  if (failed) {
    const blocker = typeof failed.blocker === 'string' ? failed.blocker : failed.blocker(order);
    return { allowed: false, reason: 'precondition', message: `Cannot ${action} this work order now: ${blocker}` };
  }
  return { allowed: true };
}

/** Every action the actor may take on the order now, in lifecycle order. */
export function allowedActions(order: OrderFacts, actor: ActorFacts): WorkOrderAction[] {
  return WORK_ORDER_ACTIONS.filter((action) => judge(action, order, actor).allowed);
}

import { isUnitRole, type Role } from '../users/role';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES, type WorkOrderAction, type WorkOrderStatus } from './work-order.enums';

/** What the rules need to know about the order. */
export interface OrderFacts {
  status: WorkOrderStatus;
  leadUnitId: number | null;
  /** For a child order (下派): the lead unit of its parent, which supervises it. */
  parentLeadUnitId: number | null;
  isChild: boolean;
  hasPendingExtension: boolean;
  hasOpenChildren: boolean;
  /** The return window (退单 within 2 working days of dispatch by default) has not closed yet. */
  returnWindowOpen: boolean;
}

export interface ActorFacts {
  role: Role;
  unitId: number;
}

type Who = (order: OrderFacts, actor: ActorFacts) => boolean;

interface Rule {
  from: readonly WorkOrderStatus[];
  who: Who;
  /** Extra state the order must be in besides its status; `blocker` says why not, for the 409. The first failing one is named. */
  requires?: Requirement | readonly Requirement[];
}

interface Requirement {
  test: (order: OrderFacts) => boolean;
  blocker: string;
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

const parentUnit: Who = (order, actor) =>
  order.isChild && isUnitRole(actor.role) && order.parentLeadUnitId !== null && actor.unitId === order.parentLeadUnitId;

const either =
  (...whos: Who[]): Who =>
  (order, actor) =>
    whos.some((who) => who(order, actor));


/**
 * The lifecycle rules: for each action, the statuses it may start from and who may take it.
 * The target status is decided by the action's handler (some depend on the input, e.g. callback).
 */
export const RULES: Record<WorkOrderAction, Rule> = {
  'resolve-directly': { from: ['registered'], who: centerOnTopLevel('agent', 'dispatcher') },
  dispatch: { from: ['registered'], who: centerOnTopLevel('agent', 'dispatcher', 'supervisor') },
  accept: { from: ['dispatched'], who: leadUnit },
  return: {
    from: ['dispatched', 'processing'],
    who: leadUnit,
    requires: [
      // 首接负责: once the window has passed the unit keeps the order and handles it (or asks the center to reassign it).
      { test: (o) => o.returnWindowOpen, blocker: 'the return window has closed (returns are allowed only within the return window after dispatch; the unit now handles the order)' },
      { test: (o) => !o.hasOpenChildren, blocker: 'its sub-dispatched child orders are still open' },
    ],
  },
  'approve-return': { from: ['return_requested'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit) },
  'reject-return': { from: ['return_requested'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit) },
  'sub-dispatch': { from: ['processing'], who: leadUnit },
  contact: { from: ['processing'], who: leadUnit },
  reply: {
    from: ['processing'],
    who: leadUnit,
    requires: { test: (o) => !o.hasOpenChildren, blocker: 'its sub-dispatched child orders are not all finished' },
  },
  'approve-reply': { from: ['reply_review'], who: either(centerOnTopLevel('reviewer', 'supervisor'), parentUnit) },
  'reject-reply': { from: ['reply_review'], who: either(centerOnTopLevel('reviewer', 'supervisor'), parentUnit) },
  callback: { from: ['callback_pending'], who: centerOnTopLevel('callback_agent', 'supervisor') },
  reopen: { from: ['closed'], who: centerOnTopLevel('reviewer', 'callback_agent', 'supervisor') },
  'request-extension': {
    from: ['processing'],
    who: leadUnit,
    requires: { test: (o) => !o.hasPendingExtension, blocker: 'an extension request is already waiting for a decision' },
  },
  'approve-extension': {
    from: ['processing'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    requires: { test: (o) => o.hasPendingExtension, blocker: 'there is no pending extension request' },
  },
  'refuse-extension': {
    from: ['processing'],
    who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit),
    requires: { test: (o) => o.hasPendingExtension, blocker: 'there is no pending extension request' },
  },
  suspend: { from: ['dispatched', 'processing'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit) },
  resume: { from: ['suspended'], who: either(centerOnTopLevel('dispatcher', 'supervisor'), parentUnit) },
  remind: { from: ['dispatched', 'processing'], who: either(centerRoles('dispatcher', 'supervisor'), parentUnit) },
  supervise: { from: ['dispatched', 'processing', 'suspended'], who: centerRoles('supervisor') },
  merge: {
    from: ['registered', 'dispatched', 'processing', 'suspended'],
    who: centerOnTopLevel('agent', 'dispatcher', 'supervisor'),
    requires: { test: (o) => !o.hasOpenChildren, blocker: 'it has open sub-dispatched child orders' },
  },
  unmerge: { from: ['merged'], who: centerOnTopLevel('dispatcher', 'supervisor') },
  link: { from: WORK_ORDER_STATUSES, who: centerRoles('agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor') },
};

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
    return { allowed: false, reason: 'precondition', message: `Cannot ${action} this work order now: ${failed.blocker}` };
  }
  return { allowed: true };
}

/** Every action the actor may take on the order now, in lifecycle order. */
export function allowedActions(order: OrderFacts, actor: ActorFacts): WorkOrderAction[] {
  return WORK_ORDER_ACTIONS.filter((action) => judge(action, order, actor).allowed);
}

import type { CenterRole, UnitRole } from '../users/role';
import * as sut from './work-order-state-machine';
import type { ActorFacts, OrderFacts } from './work-order-state-machine';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES, type WorkOrderAction, type WorkOrderStatus } from './work-order.enums';

/*
 * The expected rules, written out by hand from the domain (shared/DOMAIN.md, GLOSSARY.md) and not read from RULES,
 * so that this file is an independent statement of who may do what, and when.
 *
 * An actor is a center role (the 12345 center's own staff) or a unit role together with how the actor's unit
 * relates to the order: `@lead` is the order's lead unit (主办), `@parent` the lead unit of the parent order that
 * sub-dispatched it (only child orders have one), `@assisting` a unit assisting on the order (协办), `@other` any other unit.
 */

const CENTER_UNIT = 1;
const PARENT_LEAD_UNIT = 10;
const LEAD_UNIT = 20;
const OTHER_UNIT = 30;
const ASSISTING_UNIT = 40;

type UnitRelation = 'lead' | 'parent' | 'assisting' | 'other';
type ActorKey = CenterRole | `${UnitRole}@${UnitRelation}`;
type OrderKind = 'top-level' | 'child';
type Outcome = 'allowed' | 'status' | 'actor' | 'precondition';
type Flags = Pick<OrderFacts, 'hasOpenChildren' | 'hasPendingExtension' | 'returnWindowOpen' | 'isRepeat' | 'disputed'>;

interface Expectation {
  /** The statuses the action starts from. */
  from: readonly WorkOrderStatus[];
  /** Who may take it on a top-level order. */
  topLevel: readonly ActorKey[];
  /** Who may take it on a child order (下派). */
  child: readonly ActorKey[];
  /** What the order must also be like, once status and actor are right. */
  needs?: Partial<Flags>;
}

const LEAD_UNIT_STAFF: readonly ActorKey[] = ['handler@lead', 'unit_admin@lead'];
const ASSISTING_UNIT_STAFF: readonly ActorKey[] = ['handler@assisting', 'unit_admin@assisting'];
const PARENT_UNIT_STAFF: readonly ActorKey[] = ['handler@parent', 'unit_admin@parent'];
const NOBODY: readonly ActorKey[] = [];

const EXPECTED: Record<WorkOrderAction, Expectation> = {
  // Intake and dispatch are the center's, and only for orders the center registered.
  'resolve-directly': { from: ['registered'], topLevel: ['agent', 'dispatcher'], child: NOBODY },
  dispatch: { from: ['registered'], topLevel: ['agent', 'dispatcher', 'supervisor'], child: NOBODY },
  // 无效工单: whoever takes calls may mark one invalid; only a supervisor takes that back.
  invalidate: { from: ['registered'], topLevel: ['agent', 'dispatcher', 'supervisor'], child: NOBODY },
  restore: { from: ['invalid'], topLevel: ['supervisor'], child: NOBODY },
  // 改派: the center takes back what it dispatched, unless the unit has passed parts of it down that are still open.
  recall: { from: ['dispatched', 'return_requested', 'processing'], topLevel: ['dispatcher', 'supervisor'], child: NOBODY, needs: { hasOpenChildren: false } },
  // 裁定: only a supervisor settles a disputed order (争议件), before the unit has replied; the ruling dispatches it afresh.
  rule: {
    from: ['registered', 'dispatched', 'return_requested', 'processing'],
    topLevel: ['supervisor'],
    child: NOBODY,
    needs: { disputed: true, hasOpenChildren: false },
  },

  // The lead unit handles the order, whether the center or a parent unit gave it.
  accept: { from: ['dispatched'], topLevel: LEAD_UNIT_STAFF, child: LEAD_UNIT_STAFF },
  return: { from: ['dispatched', 'processing'], topLevel: LEAD_UNIT_STAFF, child: LEAD_UNIT_STAFF, needs: { hasOpenChildren: false, returnWindowOpen: true } },
  'sub-dispatch': { from: ['processing'], topLevel: LEAD_UNIT_STAFF, child: LEAD_UNIT_STAFF },
  contact: { from: ['processing'], topLevel: LEAD_UNIT_STAFF, child: LEAD_UNIT_STAFF },
  reply: { from: ['processing'], topLevel: LEAD_UNIT_STAFF, child: LEAD_UNIT_STAFF, needs: { hasOpenChildren: false } },

  // Inside the lead unit, its leader (unit_admin) assigns the order to a handler and signs replies off (领导审签).
  assign: { from: ['processing', 'unit_review'], topLevel: ['unit_admin@lead'], child: ['unit_admin@lead'] },
  'unit-approve-reply': { from: ['unit_review'], topLevel: ['unit_admin@lead'], child: ['unit_admin@lead'] },
  'unit-reject-reply': { from: ['unit_review'], topLevel: ['unit_admin@lead'], child: ['unit_admin@lead'] },

  // 协办: an assisting unit submits its part while the lead unit has the order.
  'assist-reply': { from: ['dispatched', 'processing', 'suspended', 'unit_review'], topLevel: ASSISTING_UNIT_STAFF, child: ASSISTING_UNIT_STAFF },
  'request-extension': {
    from: ['processing'],
    topLevel: LEAD_UNIT_STAFF,
    child: LEAD_UNIT_STAFF,
    needs: { hasPendingExtension: false },
  },

  // Decisions on what the lead unit asked for: the center on its own orders, the parent unit on the orders it passed down.
  'approve-return': { from: ['return_requested'], topLevel: ['dispatcher', 'supervisor'], child: PARENT_UNIT_STAFF },
  'reject-return': { from: ['return_requested'], topLevel: ['dispatcher', 'supervisor'], child: PARENT_UNIT_STAFF },
  'approve-reply': { from: ['reply_review'], topLevel: ['reviewer', 'supervisor'], child: PARENT_UNIT_STAFF },
  'reject-reply': { from: ['reply_review'], topLevel: ['reviewer', 'supervisor'], child: PARENT_UNIT_STAFF },
  'approve-extension': {
    from: ['processing'],
    topLevel: ['dispatcher', 'supervisor'],
    child: PARENT_UNIT_STAFF,
    needs: { hasPendingExtension: true },
  },
  'refuse-extension': {
    from: ['processing'],
    topLevel: ['dispatcher', 'supervisor'],
    child: PARENT_UNIT_STAFF,
    needs: { hasPendingExtension: true },
  },
  suspend: { from: ['dispatched', 'processing'], topLevel: ['dispatcher', 'supervisor'], child: PARENT_UNIT_STAFF },
  resume: { from: ['suspended'], topLevel: ['dispatcher', 'supervisor'], child: PARENT_UNIT_STAFF },

  // The citizen hears from the center only about the orders the center dispatched.
  callback: { from: ['callback_pending'], topLevel: ['callback_agent', 'supervisor'], child: NOBODY },
  'callback-attempt': { from: ['callback_pending'], topLevel: ['callback_agent', 'supervisor'], child: NOBODY },
  reopen: { from: ['closed'], topLevel: ['reviewer', 'callback_agent', 'supervisor'], child: NOBODY },

  // Pressure on a late order: the center on any order, the parent unit on its children.
  remind: {
    from: ['dispatched', 'processing'],
    topLevel: ['dispatcher', 'supervisor'],
    child: ['dispatcher', 'supervisor', 'handler@parent', 'unit_admin@parent'],
  },
  supervise: { from: ['dispatched', 'processing', 'suspended'], topLevel: ['supervisor'], child: ['supervisor'] },

  // Repeat complaints and related orders are the center's bookkeeping.
  merge: {
    from: ['registered', 'dispatched', 'processing', 'suspended'],
    topLevel: ['agent', 'dispatcher', 'supervisor'],
    child: NOBODY,
    needs: { hasOpenChildren: false },
  },
  unmerge: { from: ['merged'], topLevel: ['dispatcher', 'supervisor'], child: NOBODY },
  link: {
    from: [
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
    ],
    topLevel: ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor'],
    child: ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor'],
  },
  // 重复件: the center marks an order as the same caller's same matter again (not a cancelled child's business), and takes it back.
  'mark-repeat': {
    from: ['registered', 'dispatched', 'return_requested', 'processing', 'suspended', 'unit_review', 'reply_review', 'callback_pending', 'closed', 'merged'],
    topLevel: ['agent', 'dispatcher', 'supervisor'],
    child: NOBODY,
    needs: { isRepeat: false },
  },
  'unmark-repeat': {
    from: ['registered', 'dispatched', 'return_requested', 'processing', 'suspended', 'unit_review', 'reply_review', 'callback_pending', 'closed', 'merged', 'cancelled', 'invalid'],
    topLevel: ['agent', 'dispatcher', 'supervisor'],
    child: NOBODY,
    needs: { isRepeat: true },
  },
};

// The auditor (安全审计员) is in no expectation above: it may take no action on any order.
const CENTER_STAFF: readonly CenterRole[] = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin', 'auditor'];
const UNIT_STAFF: readonly UnitRole[] = ['handler', 'unit_admin'];

function actorsOn(kind: OrderKind): ActorKey[] {
  const relations: UnitRelation[] = kind === 'child' ? ['lead', 'parent', 'assisting', 'other'] : ['lead', 'assisting', 'other'];
  return [...CENTER_STAFF, ...UNIT_STAFF.flatMap((role) => relations.map((relation): ActorKey => `${role}@${relation}`))];
}

const UNIT_OF: Record<UnitRelation, number> = { lead: LEAD_UNIT, parent: PARENT_LEAD_UNIT, assisting: ASSISTING_UNIT, other: OTHER_UNIT };

function actorFacts(key: ActorKey): ActorFacts {
  const [role, relation] = key.split('@') as [CenterRole | UnitRole, UnitRelation | undefined];
  return { role, unitId: relation ? UNIT_OF[relation] : CENTER_UNIT };
}

const SITUATIONS: { label: string; flags: Flags }[] = [false, true].flatMap((windowClosed) =>
  [
    { label: '', flags: { hasOpenChildren: false, hasPendingExtension: false } },
    { label: ' with open children', flags: { hasOpenChildren: true, hasPendingExtension: false } },
    { label: ' with a pending extension', flags: { hasOpenChildren: false, hasPendingExtension: true } },
    { label: ' with open children and a pending extension', flags: { hasOpenChildren: true, hasPendingExtension: true } },
  ].map(({ label, flags }) => ({
    label: `${label}${windowClosed ? ' after the return window' : ''}`,
    flags: { ...flags, returnWindowOpen: !windowClosed, isRepeat: false, disputed: false },
  })),
).concat([
  { label: ' marked as a repeat', flags: { hasOpenChildren: false, hasPendingExtension: false, returnWindowOpen: true, isRepeat: true, disputed: false } },
  { label: ' disputed', flags: { hasOpenChildren: false, hasPendingExtension: false, returnWindowOpen: true, isRepeat: false, disputed: true } },
  { label: ' disputed with open children', flags: { hasOpenChildren: true, hasPendingExtension: false, returnWindowOpen: true, isRepeat: false, disputed: true } },
]);

/** The return window is open unless a case says otherwise. */
function orderFacts(status: WorkOrderStatus, kind: OrderKind, flags: Partial<Flags> = SITUATIONS[0].flags): OrderFacts {
  return {
    status,
    leadUnitId: LEAD_UNIT,
    assistingUnitIds: [ASSISTING_UNIT],
    parentLeadUnitId: kind === 'child' ? PARENT_LEAD_UNIT : null,
    isChild: kind === 'child',
    hasOpenChildren: false,
    hasPendingExtension: false,
    returnWindowOpen: true,
    leaderSignOff: false,
    callbackRequired: true,
    nextCallbackAttemptIsLast: false,
    statusBeforeSuspension: null,
    statusBeforeMerge: null,
    isRepeat: false,
    disputed: false,
    ruledUnitId: null,
    ruledAt: null,
    ...flags,
  };
}

/** Status is judged first, then the actor, then the order's other state: a stranger learns nothing about the order's insides. */
function expectedOutcome(action: WorkOrderAction, order: OrderFacts, actor: ActorKey): Outcome {
  const rule = EXPECTED[action];
  if (!rule.from.includes(order.status)) return 'status';
  if (!(order.isChild ? rule.child : rule.topLevel).includes(actor)) return 'actor';
  const needs = Object.entries(rule.needs ?? {}) as [keyof Flags, boolean][];
  if (needs.some(([flag, value]) => order[flag] !== value)) return 'precondition';
  return 'allowed';
}

function expectedActions(order: OrderFacts, actor: ActorKey): WorkOrderAction[] {
  return WORK_ORDER_ACTIONS.filter((action) => expectedOutcome(action, order, actor) === 'allowed');
}

/** Every order kind, situation and actor for one action and status, judged against the expectation: the mismatches. */
function mismatchesOf(action: WorkOrderAction, status: WorkOrderStatus): string[] {
  const mismatches: string[] = [];
  for (const kind of ['top-level', 'child'] as const) {
    for (const { label, flags } of SITUATIONS) {
      const order = orderFacts(status, kind, flags);
      for (const actor of actorsOn(kind)) {
        const expected = expectedOutcome(action, order, actor);
        const facts = actorFacts(actor);
        const verdict = sut.judge(action, order, facts);
        const got = verdict.allowed ? 'allowed' : verdict.reason;
        const title = `${status} ${kind} order${label}, ${actor}`;
        if (got !== expected) mismatches.push(`${title}: expected ${expected}, got ${got}`);
        if (!verdict.allowed) {
          if (!verdict.message.includes(action)) mismatches.push(`${title}: the message does not name ${action}`);
          if (verdict.reason === 'status' && !verdict.message.includes(order.status)) mismatches.push(`${title}: the message does not name the status`);
          if (verdict.reason === 'actor' && !verdict.message.includes(facts.role)) mismatches.push(`${title}: the message does not name the role`);
        }
      }
    }
  }
  return mismatches;
}

describe('judge', () => {
  // One test per action and status, each judging every order kind, situation and actor (the whole grid).
  describe.each([...WORK_ORDER_ACTIONS])('%s, on every order kind and actor', (action) => {
    it.each([...WORK_ORDER_STATUSES])('from %s', (status) => {
      expect(mismatchesOf(action, status)).toEqual([]);
    });
  });

  it.each(['resolve-directly', 'invalidate', 'restore', 'dispatch', 'recall', 'callback-attempt', 'callback', 'reopen', 'supervise', 'merge', 'unmerge', 'link', 'mark-repeat', 'unmark-repeat', 'rule'] as const)(
    'never lets staff of a unit %s, whichever unit they are in',
    (action) => {
      for (const status of EXPECTED[action].from) {
        for (const kind of ['top-level', 'child'] as const) {
          for (const actor of actorsOn(kind).filter((key) => key.includes('@'))) {
            expect(sut.judge(action, orderFacts(status, kind), actorFacts(actor))).toMatchObject({ allowed: false, reason: 'actor' });
          }
        }
      }
    },
  );

  it.each([...CENTER_STAFF])('judges a %s by role alone, even with the unit id of the order’s lead or parent unit', (role) => {
    for (const status of WORK_ORDER_STATUSES) {
      for (const kind of ['top-level', 'child'] as const) {
        const order = orderFacts(status, kind);
        for (const unitId of [LEAD_UNIT, PARENT_LEAD_UNIT]) {
          expect(sut.allowedActions(order, { role, unitId })).toEqual(expectedActions(order, role));
        }
      }
    }
  });

  it('gives no unit the lead unit’s actions on an order that has no lead unit', () => {
    const order = { ...orderFacts('dispatched', 'top-level'), leadUnitId: null };

    for (const unitId of [CENTER_UNIT, PARENT_LEAD_UNIT, LEAD_UNIT, OTHER_UNIT]) {
      expect(sut.judge('accept', order, { role: 'handler', unitId })).toMatchObject({ allowed: false, reason: 'actor' });
    }
  });

  it('gives the parent’s lead unit no say over a top-level order', () => {
    const order = { ...orderFacts('reply_review', 'top-level'), parentLeadUnitId: PARENT_LEAD_UNIT };

    expect(sut.judge('approve-reply', order, actorFacts('handler@parent'))).toMatchObject({ allowed: false, reason: 'actor' });
  });
});

describe('judge, preconditions', () => {
  const handler = actorFacts('handler@lead');
  const dispatcher = actorFacts('dispatcher');
  const busy = { hasOpenChildren: true, hasPendingExtension: true };

  it.each(['top-level', 'child'] as const)('blocks the reply on a %s order while its own child orders are open', (kind) => {
    const order = orderFacts('processing', kind, { hasOpenChildren: true, hasPendingExtension: false });

    expect(sut.judge('reply', order, handler)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot reply this work order now: its sub-dispatched child orders are not all finished',
    });
    expect(sut.judge('reply', { ...order, hasOpenChildren: false }, handler)).toEqual({ allowed: true });
  });

  it('lets the lead unit reply while an extension request waits', () => {
    expect(sut.judge('reply', orderFacts('processing', 'top-level', { hasOpenChildren: false, hasPendingExtension: true }), handler)).toEqual({
      allowed: true,
    });
  });

  it('blocks a second extension request while one waits for a decision', () => {
    const order = orderFacts('processing', 'top-level', { hasOpenChildren: false, hasPendingExtension: true });

    expect(sut.judge('request-extension', order, handler)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot request-extension this work order now: an extension request is already waiting for a decision',
    });
    expect(sut.judge('request-extension', { ...order, hasPendingExtension: false }, handler)).toEqual({ allowed: true });
  });

  it.each(['approve-extension', 'refuse-extension'] as const)('needs a pending extension request to %s', (action) => {
    const order = orderFacts('processing', 'top-level', { hasOpenChildren: true, hasPendingExtension: false });

    expect(sut.judge(action, order, dispatcher)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: `Cannot ${action} this work order now: there is no pending extension request`,
    });
    expect(sut.judge(action, { ...order, hasPendingExtension: true }, dispatcher)).toEqual({ allowed: true });
  });

  it.each(['registered', 'dispatched', 'processing', 'suspended'] as const)('blocks merging a %s order that has open child orders', (status) => {
    const order = orderFacts(status, 'top-level', { hasOpenChildren: true, hasPendingExtension: false });

    expect(sut.judge('merge', order, dispatcher)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot merge this work order now: it has open sub-dispatched child orders',
    });
    expect(sut.judge('merge', { ...order, hasOpenChildren: false }, dispatcher)).toEqual({ allowed: true });
  });

  it('marks an order as a repeat only once, and takes back only a mark that is there', () => {
    const order = orderFacts('processing', 'top-level');
    const marked = orderFacts('processing', 'top-level', { isRepeat: true });

    expect(sut.judge('mark-repeat', marked, dispatcher)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot mark-repeat this work order now: it is already marked as a repeat (unmark it first)',
    });
    expect(sut.judge('unmark-repeat', order, dispatcher)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot unmark-repeat this work order now: it is not marked as a repeat',
    });
    expect(sut.judge('mark-repeat', order, dispatcher)).toEqual({ allowed: true });
    expect(sut.judge('unmark-repeat', marked, dispatcher)).toEqual({ allowed: true });
  });

  it.each(['registered', 'dispatched', 'return_requested', 'processing'] as const)('rules only a disputed %s order, and says why not', (status) => {
    const supervisor = actorFacts('supervisor');

    expect(sut.judge('rule', orderFacts(status, 'top-level'), supervisor)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: 'Cannot rule this work order now: it is not a disputed order (only an order returned repeatedly or bounced between units is ruled)',
    });
    expect(sut.judge('rule', orderFacts(status, 'top-level', { disputed: true }), supervisor)).toEqual({ allowed: true });
    expect(sut.judge('rule', orderFacts(status, 'top-level', { disputed: true }), dispatcher)).toMatchObject({ allowed: false, reason: 'actor' });
  });

  it.each(['dispatched', 'processing'] as const)('refuses a return of a %s order by the unit the center ruled it to, naming the ruling', (status) => {
    const ruled = { ...orderFacts(status, 'top-level', { disputed: true }), ruledUnitId: LEAD_UNIT, ruledAt: new Date('2026-03-04T02:00:00.000Z') };

    for (const actor of ['handler@lead', 'unit_admin@lead'] as const) {
      expect(sut.judge('return', ruled, actorFacts(actor))).toEqual({
        allowed: false,
        reason: 'precondition',
        message: 'Cannot return this work order now: the center ruled this order to your unit on 2026-03-04T02:00:00.000Z (裁定): it cannot be returned',
      });
      expect(sut.allowedActions(ruled, actorFacts(actor))).not.toContain('return');
    }
    // The ruling binds the unit it names: an order recalled to another unit since may be returned by that unit.
    expect(sut.judge('return', { ...ruled, ruledUnitId: OTHER_UNIT }, handler)).toEqual({ allowed: true });
    // The ruling is named before the return window (it is the reason that does not pass).
    expect(sut.judge('return', { ...ruled, returnWindowOpen: false }, handler)).toMatchObject({ message: expect.stringContaining('ruled this order to your unit') });
  });

  it.each(['dispatched', 'processing'] as const)('refuses a return of a %s order after the return window, and says why', (status) => {
    const order = orderFacts(status, 'top-level', { returnWindowOpen: false });

    expect(sut.judge('return', order, handler)).toEqual({
      allowed: false,
      reason: 'precondition',
      message: expect.stringContaining('Cannot return this work order now: the return window has closed'),
    });
    expect(sut.allowedActions(order, handler)).not.toContain('return');
    expect(sut.judge('return', { ...order, returnWindowOpen: true }, handler)).toEqual({ allowed: true });
  });

  it('names the closed return window before open child orders (the window never reopens)', () => {
    const order = orderFacts('processing', 'top-level', { hasOpenChildren: true, returnWindowOpen: false });

    expect(sut.judge('return', order, handler)).toMatchObject({ reason: 'precondition', message: expect.stringContaining('return window') });
  });

  it('lets only return depend on the return window', () => {
    for (const status of WORK_ORDER_STATUSES) {
      for (const kind of ['top-level', 'child'] as const) {
        for (const actor of actorsOn(kind)) {
          const open = sut.allowedActions(orderFacts(status, kind), actorFacts(actor)).filter((a) => a !== 'return');
          expect(sut.allowedActions(orderFacts(status, kind, { returnWindowOpen: false }), actorFacts(actor))).toEqual(open);
        }
      }
    }
  });

  it('judges the status before the preconditions', () => {
    expect(sut.judge('reply', orderFacts('dispatched', 'top-level', busy), handler)).toMatchObject({ allowed: false, reason: 'status' });
    expect(sut.judge('merge', orderFacts('reply_review', 'top-level', busy), dispatcher)).toMatchObject({ allowed: false, reason: 'status' });
  });

  it('judges the actor before the preconditions, so a stranger learns nothing of the order’s state', () => {
    const order = orderFacts('processing', 'top-level', busy);

    expect(sut.judge('reply', order, actorFacts('handler@other'))).toMatchObject({ allowed: false, reason: 'actor' });
    expect(sut.judge('request-extension', order, actorFacts('unit_admin@other'))).toMatchObject({ allowed: false, reason: 'actor' });
    expect(sut.judge('merge', order, actorFacts('reviewer'))).toMatchObject({ allowed: false, reason: 'actor' });
    expect(sut.judge('approve-extension', { ...order, hasPendingExtension: false }, actorFacts('agent'))).toMatchObject({
      allowed: false,
      reason: 'actor',
    });
  });
});

describe('judge, messages', () => {
  it('names the action and the status when the status is wrong', () => {
    expect(sut.judge('dispatch', orderFacts('processing', 'top-level'), actorFacts('dispatcher'))).toEqual({
      allowed: false,
      reason: 'status',
      message: 'Cannot dispatch a work order in status processing',
    });
  });

  it.each([
    ['accept', 'dispatched', 'handler@other'],
    ['accept', 'dispatched', 'dispatcher'],
    ['approve-reply', 'reply_review', 'callback_agent'],
    ['callback', 'callback_pending', 'unit_admin@lead'],
  ] as const)('names the action and the role when %s on a %s order is not for %s', (action, status, actor) => {
    const facts = actorFacts(actor);

    expect(sut.judge(action, orderFacts(status, 'top-level'), facts)).toEqual({
      allowed: false,
      reason: 'actor',
      message: expect.stringMatching(new RegExp(`\\b${facts.role}\\b.*\\b${action}\\b`)),
    });
  });
});

describe('allowedActions', () => {
  const quiet = SITUATIONS[0].flags;

  it.each([
    ['a dispatcher on a registered order', orderFacts('registered', 'top-level'), 'dispatcher', ['resolve-directly', 'invalidate', 'dispatch', 'merge', 'link', 'mark-repeat']],
    ['an agent on a registered order', orderFacts('registered', 'top-level'), 'agent', ['resolve-directly', 'invalidate', 'dispatch', 'merge', 'link', 'mark-repeat']],
    ['a supervisor on a registered order', orderFacts('registered', 'top-level'), 'supervisor', ['invalidate', 'dispatch', 'merge', 'link', 'mark-repeat']],
    ['a supervisor on an invalid order', orderFacts('invalid', 'top-level'), 'supervisor', ['restore', 'link']],
    ['a dispatcher on an invalid order', orderFacts('invalid', 'top-level'), 'dispatcher', ['link']],
    ['a dispatcher on a dispatched order', orderFacts('dispatched', 'top-level'), 'dispatcher', ['recall', 'suspend', 'remind', 'merge', 'link', 'mark-repeat']],
    ['an assisting unit’s handler on a processing order', orderFacts('processing', 'top-level'), 'handler@assisting', ['assist-reply']],
    ['the lead unit’s admin on an order awaiting its sign-off', orderFacts('unit_review', 'top-level'), 'unit_admin@lead', ['assign', 'unit-approve-reply', 'unit-reject-reply']],
    ['the lead unit’s handler on an order awaiting sign-off', orderFacts('unit_review', 'top-level'), 'handler@lead', []],
    ['the lead unit’s handler on a dispatched order', orderFacts('dispatched', 'top-level'), 'handler@lead', ['accept', 'return']],
    [
      'the lead unit’s handler on a processing order',
      orderFacts('processing', 'top-level', quiet),
      'handler@lead',
      ['return', 'sub-dispatch', 'contact', 'reply', 'request-extension'],
    ],
    [
      'the lead unit’s handler on a processing order after the return window',
      orderFacts('processing', 'top-level', { returnWindowOpen: false }),
      'handler@lead',
      ['sub-dispatch', 'contact', 'reply', 'request-extension'],
    ],
    ['the lead unit’s handler on a dispatched order after the return window', orderFacts('dispatched', 'top-level', { returnWindowOpen: false }), 'handler@lead', ['accept']],
    [
      'the lead unit’s handler on a processing order with open children',
      orderFacts('processing', 'top-level', { hasOpenChildren: true, hasPendingExtension: false }),
      'handler@lead',
      ['sub-dispatch', 'contact', 'request-extension'],
    ],
    [
      'the lead unit’s handler on a processing order with a pending extension',
      orderFacts('processing', 'top-level', { hasOpenChildren: false, hasPendingExtension: true }),
      'handler@lead',
      ['return', 'sub-dispatch', 'contact', 'reply'],
    ],
    [
      'the lead unit’s admin on a processing order with open children and a pending extension',
      orderFacts('processing', 'top-level', { hasOpenChildren: true, hasPendingExtension: true }),
      'unit_admin@lead',
      ['assign', 'sub-dispatch', 'contact'],
    ],
    [
      'a supervisor on a processing order with a pending extension',
      orderFacts('processing', 'top-level', { hasOpenChildren: false, hasPendingExtension: true }),
      'supervisor',
      ['recall', 'approve-extension', 'refuse-extension', 'suspend', 'remind', 'supervise', 'merge', 'link', 'mark-repeat'],
    ],
    ['a reviewer on an order in review', orderFacts('reply_review', 'top-level'), 'reviewer', ['approve-reply', 'reject-reply', 'link']],
    ['a callback agent on an order awaiting callback', orderFacts('callback_pending', 'top-level'), 'callback_agent', ['callback-attempt', 'callback', 'link']],
    ['a callback agent on a closed order', orderFacts('closed', 'top-level'), 'callback_agent', ['reopen', 'link']],
    ['a dispatcher on a merged order', orderFacts('merged', 'top-level'), 'dispatcher', ['unmerge', 'link', 'mark-repeat']],
    ['a dispatcher on a suspended order', orderFacts('suspended', 'top-level'), 'dispatcher', ['resume', 'merge', 'link', 'mark-repeat']],
    ['the parent unit’s handler on a child order in review', orderFacts('reply_review', 'child'), 'handler@parent', ['approve-reply', 'reject-reply']],
    [
      'the parent unit’s handler on a child order whose return is asked',
      orderFacts('return_requested', 'child'),
      'handler@parent',
      ['approve-return', 'reject-return'],
    ],
    [
      'the parent unit’s admin on a processing child order with a pending extension',
      orderFacts('processing', 'child', { hasOpenChildren: false, hasPendingExtension: true }),
      'unit_admin@parent',
      ['approve-extension', 'refuse-extension', 'suspend', 'remind'],
    ],
    ['a dispatcher on a processing child order', orderFacts('processing', 'child'), 'dispatcher', ['remind', 'link']],
    ['a supervisor on a disputed registered order', orderFacts('registered', 'top-level', { disputed: true }), 'supervisor', ['invalidate', 'dispatch', 'rule', 'merge', 'link', 'mark-repeat']],
    [
      'a supervisor on a disputed order whose return is asked',
      orderFacts('return_requested', 'top-level', { disputed: true }),
      'supervisor',
      ['recall', 'approve-return', 'reject-return', 'rule', 'link', 'mark-repeat'],
    ],
    ['a dispatcher on a disputed registered order', orderFacts('registered', 'top-level', { disputed: true }), 'dispatcher', ['resolve-directly', 'invalidate', 'dispatch', 'merge', 'link', 'mark-repeat']],
    ['a supervisor on a disputed order in review', orderFacts('reply_review', 'top-level', { disputed: true }), 'supervisor', ['approve-reply', 'reject-reply', 'link', 'mark-repeat']],
    ['a dispatcher on a closed order marked as a repeat', orderFacts('closed', 'top-level', { isRepeat: true }), 'dispatcher', ['link', 'unmark-repeat']],
    ['an agent on a cancelled order', orderFacts('cancelled', 'top-level'), 'agent', ['link']],
    ['a dispatcher on a child order in review', orderFacts('reply_review', 'child'), 'dispatcher', ['link']],
    [
      'the child’s lead unit on a processing child order',
      orderFacts('processing', 'child'),
      'handler@lead',
      ['return', 'sub-dispatch', 'contact', 'reply', 'request-extension'],
    ],
  ] as const)('gives %s exactly its actions, in lifecycle order', (_who, order, actor, actions) => {
    expect(sut.allowedActions(order, actorFacts(actor))).toEqual(actions);
  });

  it.each([...WORK_ORDER_STATUSES])('gives the admin and any other unit’s staff nothing on a %s order', (status) => {
    for (const kind of ['top-level', 'child'] as const) {
      for (const { flags } of SITUATIONS) {
        const order = orderFacts(status, kind, flags);
        for (const actor of ['admin', 'handler@other', 'unit_admin@other'] as const) {
          expect(sut.allowedActions(order, actorFacts(actor))).toEqual([]);
        }
      }
    }
  });

  it.each([...WORK_ORDER_STATUSES])('agrees with the table for every order kind and actor on a %s order', (status) => {
    for (const kind of ['top-level', 'child'] as const) {
      for (const { flags } of SITUATIONS) {
        const order = orderFacts(status, kind, flags);
        for (const actor of actorsOn(kind)) {
          expect({ kind, flags, actor, actions: sut.allowedActions(order, actorFacts(actor)) }).toEqual({
            kind,
            flags,
            actor,
            actions: expectedActions(order, actor),
          });
        }
      }
    }
  });
});

describe('targetOf: the status each action leads to', () => {
  const handler = actorFacts('handler@lead');
  const unitAdmin = actorFacts('unit_admin@lead');
  const dispatcher = actorFacts('dispatcher');

  it.each([
    ['resolve-directly', 'registered', 'closed'],
    ['invalidate', 'registered', 'invalid'],
    ['restore', 'invalid', 'registered'],
    ['dispatch', 'registered', 'dispatched'],
    ['accept', 'dispatched', 'processing'],
    ['return', 'processing', 'return_requested'],
    ['reject-return', 'return_requested', 'processing'],
    ['unit-approve-reply', 'unit_review', 'reply_review'],
    ['unit-reject-reply', 'unit_review', 'processing'],
    ['reject-reply', 'reply_review', 'processing'],
    ['suspend', 'processing', 'suspended'],
    ['merge', 'dispatched', 'merged'],
    ['contact', 'processing', 'processing'],
    ['assign', 'unit_review', 'unit_review'],
    ['remind', 'dispatched', 'dispatched'],
    ['link', 'closed', 'closed'],
    ['mark-repeat', 'processing', 'processing'],
    ['unmark-repeat', 'closed', 'closed'],
    ['rule', 'registered', 'dispatched'],
    ['rule', 'return_requested', 'dispatched'],
    ['rule', 'processing', 'dispatched'],
    ['rule', 'dispatched', 'dispatched'],
  ] as const)('%s from %s leads to %s', (action, from, to) => {
    expect(sut.targetOf(action, orderFacts(from, 'top-level'), dispatcher)).toBe(to);
  });

  it('recall: to the new lead unit at once when one is named (改派), otherwise back to dispatch', () => {
    const order = orderFacts('processing', 'top-level');
    expect(sut.targetOf('recall', order, dispatcher, { redispatch: true })).toBe('dispatched');
    expect(sut.targetOf('recall', order, dispatcher, {})).toBe('registered');
  });

  it('approve-return: a top-level order goes back to dispatch, a child order is cancelled', () => {
    expect(sut.targetOf('approve-return', orderFacts('return_requested', 'top-level'), dispatcher)).toBe('registered');
    expect(sut.targetOf('approve-return', orderFacts('return_requested', 'child'), actorFacts('handler@parent'))).toBe('cancelled');
  });

  it('reply: a handler’s reply waits for the leader’s sign-off where the unit asks for it; the leader’s own reply does not', () => {
    const signed = { ...orderFacts('processing', 'top-level'), leaderSignOff: true };
    expect(sut.targetOf('reply', signed, handler)).toBe('unit_review');
    expect(sut.targetOf('reply', signed, unitAdmin)).toBe('reply_review');
    expect(sut.targetOf('reply', orderFacts('processing', 'top-level'), handler)).toBe('reply_review');
  });

  it('approve-reply: to the callback when one is needed; a child order or a type without callback closes', () => {
    expect(sut.targetOf('approve-reply', orderFacts('reply_review', 'top-level'), dispatcher)).toBe('callback_pending');
    expect(sut.targetOf('approve-reply', { ...orderFacts('reply_review', 'top-level'), callbackRequired: false }, dispatcher)).toBe('closed');
    expect(sut.targetOf('approve-reply', orderFacts('reply_review', 'child'), actorFacts('handler@parent'))).toBe('closed');
  });

  it('callback-attempt closes the order only on the last attempt that counts', () => {
    expect(sut.targetOf('callback-attempt', orderFacts('callback_pending', 'top-level'), dispatcher)).toBe('callback_pending');
    expect(sut.targetOf('callback-attempt', { ...orderFacts('callback_pending', 'top-level'), nextCallbackAttemptIsLast: true }, dispatcher)).toBe('closed');
  });

  it('callback: closes unless the answer reopens it; a reopened order without a lead unit goes back to dispatch', () => {
    const order = orderFacts('callback_pending', 'top-level');
    expect(sut.targetOf('callback', order, dispatcher, { reopens: false })).toBe('closed');
    expect(sut.targetOf('callback', order, dispatcher, { reopens: true })).toBe('processing');
    expect(sut.targetOf('callback', { ...order, leadUnitId: null }, dispatcher, { reopens: true })).toBe('registered');
  });

  it('reopen, resume and unmerge go back to where the order was', () => {
    expect(sut.targetOf('reopen', orderFacts('closed', 'top-level'), dispatcher)).toBe('processing');
    expect(sut.targetOf('reopen', { ...orderFacts('closed', 'top-level'), leadUnitId: null }, dispatcher)).toBe('registered');
    expect(sut.targetOf('resume', { ...orderFacts('suspended', 'top-level'), statusBeforeSuspension: 'dispatched' }, dispatcher)).toBe('dispatched');
    expect(sut.targetOf('resume', { ...orderFacts('suspended', 'top-level'), statusBeforeSuspension: 'processing' }, dispatcher)).toBe('processing');
    expect(sut.targetOf('unmerge', { ...orderFacts('merged', 'top-level'), statusBeforeMerge: 'suspended' }, dispatcher)).toBe('suspended');
    expect(sut.targetOf('unmerge', orderFacts('merged', 'top-level'), dispatcher)).toBe('registered');
  });

  it('never leads anywhere the table does not list (every decided target is among its possible ones)', () => {
    for (const action of WORK_ORDER_ACTIONS) {
      const to = sut.RULES[action].to;
      if (typeof to === 'string') continue;
      for (const status of sut.RULES[action].from) {
        for (const kind of ['top-level', 'child'] as const) {
          for (const flags of [{}, { leaderSignOff: true, callbackRequired: false, nextCallbackAttemptIsLast: true, statusBeforeSuspension: 'dispatched' as const, statusBeforeMerge: 'processing' as const }]) {
            for (const choice of [{}, { redispatch: true, reopens: true }]) {
              for (const actor of [handler, unitAdmin, dispatcher]) {
                expect(to.possible).toContain(sut.targetOf(action, { ...orderFacts(status, kind), ...flags }, actor, choice));
              }
            }
          }
        }
      }
    }
  });
});

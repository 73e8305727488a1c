import type { TimelineAction } from '../work-orders/work-order.enums';
import { evaluateShirking, type OrderHistory, type ShirkingRulesConfig } from './shirking-rules';

const A = 10;
const B = 20;
const C = 30;

const DEFAULTS: ShirkingRulesConfig = {
  returns: 2,
  bounces: 1,
  lateAcceptance: 'after-warning',
  replyRejections: 1,
  callbackFailures: 1,
  reopens: 1,
  repeatAfterResolved: true,
};

let minute = 0;
/** Events one minute apart, in the order given. */
function event(action: TimelineAction, payload: Record<string, unknown> | null = null) {
  minute += 1;
  return { action, payload, createdAt: new Date(Date.UTC(2026, 2, 2, 1, minute)) };
}

function history(events: OrderHistory['events'], extra: Partial<OrderHistory> = {}): OrderHistory {
  const returns = events
    .filter((e) => e.action === 'return')
    .map((e) => ({ unitId: e.payload?.unitId as number, requestedAt: e.createdAt, reasonCode: 'not_our_responsibility', decision: null }));
  return { order: { id: 1, parentId: null, status: 'processing', leadUnitId: A }, events, returns, repeats: [], ...extra };
}

const dispatch = (unitId: number) => event('dispatch', { leadUnitId: unitId });
const returned = (unitId: number) => event('return', { unitId, reasonCode: 'not_our_responsibility' });

describe('evaluateShirking', () => {
  beforeEach(() => {
    minute = 0;
  });

  it('fires nothing for an order dispatched, accepted in time and replied', () => {
    const verdict = evaluateShirking(history([event('register'), dispatch(A), event('accept'), event('reply'), event('approve-reply')]), DEFAULTS);
    expect(verdict).toEqual({ fired: [], disputed: false });
  });

  it('flags an order returned twice by different units, about the last one, and makes it disputed', () => {
    const verdict = evaluateShirking(history([dispatch(A), returned(A), event('approve-return'), dispatch(B), returned(B), event('approve-return')]), DEFAULTS);
    expect(verdict.fired).toEqual([expect.objectContaining({ rule: 'returned', unitId: B, count: 2, reasons: expect.objectContaining({ units: [A, B] }) })]);
    expect(verdict.disputed).toBe(true);
  });

  it('does not flag a single return', () => {
    expect(evaluateShirking(history([dispatch(A), returned(A), event('approve-return')]), DEFAULTS).fired).toEqual([]);
  });

  it('flags a bounce: the order came back to a unit that had returned it (by dispatch or by recall), with the chain', () => {
    const bounced = evaluateShirking(history([dispatch(A), returned(A), event('approve-return'), dispatch(B), event('recall', { redispatched: true, leadUnitId: A })]), DEFAULTS);
    expect(bounced.fired).toEqual([
      expect.objectContaining({
        rule: 'bounced',
        unitId: A,
        count: 1,
        reasons: { bounces: [expect.objectContaining({ unitId: A })], chain: [expect.objectContaining({ unitId: A, via: 'dispatch' }), expect.objectContaining({ unitId: B }), expect.objectContaining({ unitId: A, via: 'recall' })] },
      }),
    ]);
    expect(bounced.disputed).toBe(true);
  });

  it('does not count a ruling as a bounce, nor a dispatch to a unit that never returned the order', () => {
    const ruled = evaluateShirking(history([dispatch(A), returned(A), event('approve-return'), dispatch(B), event('rule', { leadUnitId: A })]), DEFAULTS);
    expect(ruled.fired.map((f) => f.rule)).toEqual([]);
    const moved = evaluateShirking(history([dispatch(A), event('recall', { redispatched: true, leadUnitId: B }), event('recall', { redispatched: true, leadUnitId: A })]), DEFAULTS);
    expect(moved.fired).toEqual([]);
  });

  it('a child order is never disputed (only top-level orders are ruled)', () => {
    const child = history([dispatch(A), returned(A), event('approve-return'), dispatch(B), returned(B)]);
    const verdict = evaluateShirking({ ...child, order: { ...child.order, parentId: 99 } }, DEFAULTS);
    expect(verdict.fired.map((f) => f.rule)).toEqual(['returned']);
    expect(verdict.disputed).toBe(false);
  });

  describe('late acceptance', () => {
    it('fires when the acceptance came after a warning about it (the scheduler’s, or a manual reminder)', () => {
      const auto = evaluateShirking(history([dispatch(A), event('remind', { automatic: true, deadline: 'acceptDueAt' }), event('accept')]), DEFAULTS);
      expect(auto.fired).toEqual([expect.objectContaining({ rule: 'late-acceptance', unitId: A, count: 1 })]);
      const manual = evaluateShirking(history([dispatch(A), event('remind'), event('accept')]), DEFAULTS);
      expect(manual.fired.map((f) => f.rule)).toEqual(['late-acceptance']);
    });

    it('ignores warnings about other deadlines, and warnings after the acceptance', () => {
      const other = evaluateShirking(history([dispatch(A), event('remind', { automatic: true, deadline: 'contactDueAt' }), event('accept')]), DEFAULTS);
      expect(other.fired).toEqual([]);
      const after = evaluateShirking(history([dispatch(A), event('accept'), event('remind', { automatic: true, deadline: 'replyDueAt' })]), DEFAULTS);
      expect(after.fired).toEqual([]);
    });

    it('fires when the acceptance deadline passed without an acceptance, but not on a yellow reminder alone', () => {
      expect(evaluateShirking(history([dispatch(A), event('overdue', { automatic: true, deadline: 'acceptDueAt' })]), DEFAULTS).fired.map((f) => f.rule)).toEqual(['late-acceptance']);
      expect(evaluateShirking(history([dispatch(A), event('remind', { automatic: true, deadline: 'acceptDueAt' })]), DEFAULTS).fired).toEqual([]);
    });

    it('with SHIRKING_LATE_ACCEPTANCE=late any late acceptance fires; with off nothing does', () => {
      const late = history([dispatch(A), event('accept', { acceptLateMinutes: 15 })]);
      expect(evaluateShirking(late, DEFAULTS).fired).toEqual([]);
      expect(evaluateShirking(late, { ...DEFAULTS, lateAcceptance: 'late' }).fired.map((f) => f.rule)).toEqual(['late-acceptance']);
      const warned = history([dispatch(A), event('remind'), event('accept')]);
      expect(evaluateShirking(warned, { ...DEFAULTS, lateAcceptance: 'off' }).fired).toEqual([]);
    });

    it('judges each dispatch on its own: a warning to the previous unit does not count against the next', () => {
      const verdict = evaluateShirking(history([dispatch(A), event('remind'), event('recall', { redispatched: true, leadUnitId: B }), event('accept')]), DEFAULTS);
      expect(verdict.fired).toEqual([]);
    });
  });

  it('flags a rejected reply, a failed callback and a reopen, each about the unit that held the order', () => {
    const verdict = evaluateShirking(
      history([
        dispatch(A),
        event('accept'),
        event('reply'),
        event('reject-reply'),
        event('reply'),
        event('approve-reply'),
        event('callback', { outcome: 'unresolved', reopened: true }),
        event('reply'),
        event('approve-reply'),
        event('callback', { outcome: 'resolved', satisfaction: 'satisfied', reopened: false }),
        event('reopen'),
      ]),
      DEFAULTS,
    );
    expect(verdict.fired).toEqual([
      expect.objectContaining({ rule: 'reply-rejected', unitId: A, count: 1 }),
      expect.objectContaining({ rule: 'callback-failed', unitId: A, count: 1, reasons: { callbacks: [expect.objectContaining({ outcome: 'unresolved' })] } }),
      expect.objectContaining({ rule: 'reopened', unitId: A, count: 1 }),
    ]);
    expect(verdict.disputed).toBe(false);
  });

  it('honours each threshold, 0 turning its rule off', () => {
    const events = [dispatch(A), event('accept'), event('reply'), event('reject-reply'), event('reply'), event('reject-reply')];
    expect(evaluateShirking(history(events), { ...DEFAULTS, replyRejections: 3 }).fired).toEqual([]);
    expect(evaluateShirking(history(events), { ...DEFAULTS, replyRejections: 2 }).fired).toEqual([expect.objectContaining({ rule: 'reply-rejected', count: 2 })]);
    expect(evaluateShirking(history(events), { ...DEFAULTS, replyRejections: 0 }).fired).toEqual([]);
    const twice = [dispatch(A), returned(A), event('approve-return'), dispatch(B), returned(B)];
    expect(evaluateShirking(history(twice), { ...DEFAULTS, returns: 0 })).toEqual({ fired: [], disputed: false });
  });

  describe('repeat after a resolved reply (虚假答复)', () => {
    const closed = () => [dispatch(A), event('accept'), event('reply'), event('approve-reply'), event('callback', { outcome: 'resolved', reopened: false })];

    it('fires for a repeat registered after the reply was passed on, about the unit that replied', () => {
      const events = closed();
      const repeat = { id: 7, number: '20260302000007', createdAt: new Date(Date.UTC(2026, 2, 3)) };
      const verdict = evaluateShirking(history(events, { repeats: [repeat] }), DEFAULTS);
      expect(verdict.fired).toEqual([expect.objectContaining({ rule: 'repeat-after-resolved', unitId: A, count: 1, reasons: { repeats: [expect.objectContaining({ repeatId: 7 })] } })]);
    });

    it('does not fire for a repeat registered before the reply, or while the order was back with the unit after a failed callback', () => {
      const early = { id: 7, number: 'x', createdAt: new Date(Date.UTC(2026, 2, 1)) };
      expect(evaluateShirking(history(closed(), { repeats: [early] }), DEFAULTS).fired).toEqual([]);
      const reopened = [dispatch(A), event('accept'), event('reply'), event('approve-reply'), event('callback', { outcome: 'unresolved', reopened: true })];
      const later = { id: 8, number: 'y', createdAt: new Date(Date.UTC(2026, 2, 3)) };
      expect(evaluateShirking(history(reopened, { repeats: [later] }), DEFAULTS).fired.map((f) => f.rule)).toEqual(['callback-failed']);
      expect(evaluateShirking(history(closed(), { repeats: [later] }), { ...DEFAULTS, repeatAfterResolved: false }).fired).toEqual([]);
    });
  });

  it('is the same for the same history (the service stores only what is new)', () => {
    const events = [dispatch(A), returned(A), event('approve-return'), dispatch(C), returned(C), event('approve-return'), dispatch(A)];
    expect(evaluateShirking(history(events), DEFAULTS)).toEqual(evaluateShirking(history(events), DEFAULTS));
  });
});

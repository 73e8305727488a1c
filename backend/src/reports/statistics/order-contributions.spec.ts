import { TimeZone } from '../../calendar/time-zone';
import { accumulate, nonZeroRows, orderContributions, sameSnapshot, statSnapshotOf, type Contributions, type StatOrderRow } from './order-contributions';

const zone = new TimeZone('Asia/Shanghai');
const local = (text: string) => new Date(`${text}:00+08:00`);

const dispatched: StatOrderRow = {
  id: 1,
  status: 'dispatched',
  leadUnitId: 7,
  dispatchedAt: local('2026-11-03T23:30'),
  acceptedAt: null,
  acceptLateMinutes: null,
  firstContactAt: null,
  contactLateMinutes: null,
  repliedAt: null,
  replyLateMinutes: null,
  replyDueAt: local('2026-11-10T18:00'),
  warningLevel: 'none',
  calledBackAt: null,
  callbackOutcome: null,
  resolved: null,
  satisfaction: null,
  closedAt: null,
  reopenCount: 0,
  extensionApprovedMinutes: 0,
  supervised: false,
  repeatOfId: null,
};

const figures = (contributions: Contributions) => Object.fromEntries(contributions);

describe('orderContributions', () => {
  it('counts a dispatched order on the center’s local day of dispatch (23:30 +08:00 is 11-03, 15:30 UTC)', () => {
    expect(figures(orderContributions(statSnapshotOf(dispatched), zone))).toEqual({ '2026-11-03|7': { received: 1 } });
  });

  it('counts nothing for orders that do not count', () => {
    for (const order of [
      { ...dispatched, status: 'merged' as const },
      { ...dispatched, status: 'invalid' as const },
      { ...dispatched, status: 'cancelled' as const },
      { ...dispatched, leadUnitId: null },
      { ...dispatched, dispatchedAt: null },
    ]) {
      expect(statSnapshotOf(order)).toBeNull();
    }
    expect(orderContributions(null, zone).size).toBe(0);
  });

  it('places each figure on the day of its own time', () => {
    const closed: StatOrderRow = {
      ...dispatched,
      status: 'closed',
      acceptedAt: local('2026-11-04T09:00'),
      acceptLateMinutes: 30,
      firstContactAt: local('2026-11-04T09:10'),
      repliedAt: local('2026-11-06T10:00'),
      replyLateMinutes: 0,
      calledBackAt: local('2026-11-07T10:00'),
      callbackOutcome: 'resolved',
      resolved: true,
      satisfaction: 'basically_satisfied',
      closedAt: local('2026-11-07T10:00'),
      reopenCount: 1,
      extensionApprovedMinutes: 480,
      supervised: true,
      repeatOfId: 99,
    };
    expect(figures(orderContributions(statSnapshotOf(closed), zone))).toEqual({
      // Accepted 30 minutes late: neither responded in time nor accepted on time.
      '2026-11-03|7': { received: 1, extended: 1, supervised: 1, repeats: 1 },
      '2026-11-04|7': { accepted: 1 },
      '2026-11-06|7': { replied: 1, repliedOnTime: 1 },
      '2026-11-07|7': { calledBack: 1, resolvedAtCallback: 1, basicallySatisfied: 1, closed: 1, closedReopened: 1, closedCallbackRequired: 1, closedCalledBack: 1 },
    });
  });

  it('counts an unreplied red order as overdue on its reply due day, and a late reply with its minutes', () => {
    expect(figures(orderContributions(statSnapshotOf({ ...dispatched, warningLevel: 'red' }), zone))).toEqual({
      '2026-11-03|7': { received: 1 },
      '2026-11-10|7': { overdueOpen: 1 },
    });
    const late = { ...dispatched, status: 'reply_review' as const, repliedAt: local('2026-11-11T09:00'), replyLateMinutes: 150, warningLevel: 'red' as const };
    expect(figures(orderContributions(statSnapshotOf(late), zone))['2026-11-11|7']).toEqual({ replied: 1, replyLateMinutes: 150 });
  });

  it('counts an unreachable or declined callback as not called back, but as a closed order that needed one', () => {
    const unreachable = { ...dispatched, status: 'closed' as const, repliedAt: local('2026-11-05T10:00'), callbackOutcome: 'unreachable' as const, closedAt: local('2026-11-08T10:00') };
    expect(figures(orderContributions(statSnapshotOf(unreachable), zone))['2026-11-08|7']).toEqual({ closed: 1, closedCallbackRequired: 1 });
    const notRequired = { ...unreachable, callbackOutcome: 'not_required' as const };
    expect(figures(orderContributions(statSnapshotOf(notRequired), zone))['2026-11-08|7']).toEqual({ closed: 1 });
  });

  it('moves an order between units as new − old', () => {
    const before = statSnapshotOf(dispatched);
    const after = statSnapshotOf({ ...dispatched, leadUnitId: 8, dispatchedAt: local('2026-11-05T10:00') });
    expect(sameSnapshot(before, after)).toBe(false);
    expect(sameSnapshot(before, statSnapshotOf({ ...dispatched }))).toBe(true);
    const delta: Contributions = new Map();
    accumulate(delta, orderContributions(before, zone), -1);
    accumulate(delta, orderContributions(after, zone), 1);
    expect(nonZeroRows(delta).map((row) => [row.day, row.unitId, row.figures.received])).toEqual([
      ['2026-11-03', 7, -1],
      ['2026-11-05', 8, 1],
    ]);
  });
});

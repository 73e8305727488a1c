import { WorkingCalendar } from '../calendar/working-calendar';
import { REQUEST_TYPES, URGENCIES } from '../work-orders/work-order.enums';
import { defaultLimits, defaultRules, type Limits } from './deadline-limits';
import { OrderDeadlines } from './deadline-policy';

/** A local time in the center's zone (Asia/Shanghai, no daylight saving). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const calendar = new WorkingCalendar({ timeZone: 'Asia/Shanghai', officeHours: ['08:30-12:00', '13:30-17:30'] });
const policy = (requestType: (typeof REQUEST_TYPES)[number], urgency: (typeof URGENCIES)[number] = 'normal') =>
  new OrderDeadlines(calendar, defaultLimits(requestType, urgency));

describe('the seeded time limits (DOMAIN.md)', () => {
  it('has one rule per request type and urgency', () => {
    expect(defaultRules()).toHaveLength(REQUEST_TYPES.length * URGENCIES.length);
  });

  it.each([
    ['consultation', 1],
    ['help', 3],
    ['complaint', 5],
    ['report', 5],
    ['suggestion', 10],
    ['praise', 5],
  ] as const)('normal %s: reply in %i working days, accept in 2 working hours, dispatch in 24 calendar hours', (type, days) => {
    expect(defaultLimits(type, 'normal')).toEqual({
      dispatch: { amount: 24, unit: 'calendar_hours' },
      accept: { amount: 2, unit: 'working_hours' },
      contact: { amount: 1, unit: 'working_days' },
      reply: { amount: days, unit: 'working_days' },
      reopen: { amount: 3, unit: 'working_days' },
      returnWindow: { amount: 2, unit: 'working_days' },
      extensionCap: { amount: 10, unit: 'working_days' },
    } satisfies Limits);
  });

  it.each(REQUEST_TYPES)('urgent and critical %s run on calendar hours', (type) => {
    expect(defaultLimits(type, 'urgent')).toMatchObject({ dispatch: { amount: 2, unit: 'calendar_hours' }, accept: { amount: 1, unit: 'calendar_hours' }, reply: { amount: 24, unit: 'calendar_hours' } });
    expect(defaultLimits(type, 'critical')).toMatchObject({ dispatch: { amount: 1, unit: 'calendar_hours' }, accept: { amount: 0.5, unit: 'calendar_hours' }, reply: { amount: 2, unit: 'calendar_hours' } });
  });
});

describe('OrderDeadlines at dispatch (the issue’s calendar examples)', () => {
  it('a complaint dispatched on Wednesday morning', () => {
    const at = local('2026-03-04T10:00');
    expect(policy('complaint').onRegister(at)).toEqual({ dispatchDueAt: local('2026-03-05T10:00') });
    expect(policy('complaint').onDispatch(at)).toEqual({
      acceptDueAt: local('2026-03-04T12:00'),
      contactDueAt: local('2026-03-05T10:00'),
      replyDueAt: local('2026-03-11T10:00'), // Wed 10:00 + 5 working days = next Wed 10:00
      returnDeadlineAt: local('2026-03-06T10:00'),
      replyClockStartedAt: at,
    });
  });

  it('a consultation on the eve of National Day waits out the holiday', () => {
    // Wed 2026-09-30 15:00 + 1 working day = Thu 10-08 15:00; 2 working hours = 17:00 the same day.
    expect(policy('consultation').onDispatch(local('2026-09-30T15:00'))).toMatchObject({
      acceptDueAt: local('2026-09-30T17:00'),
      replyDueAt: local('2026-10-08T15:00'),
      returnDeadlineAt: local('2026-10-09T15:00'),
    });
  });

  it('a consultation on a Friday evening before a make-up Saturday starts on that Saturday', () => {
    // Fri 2026-05-08 20:00 + 1 working day = Mon 05-11 08:30: the start moves to Sat 05-09 08:30, a make-up day.
    expect(policy('consultation').onDispatch(local('2026-05-08T20:00'))).toMatchObject({
      acceptDueAt: local('2026-05-09T10:30'),
      contactDueAt: local('2026-05-11T08:30'),
      replyDueAt: local('2026-05-11T08:30'),
      returnDeadlineAt: local('2026-05-12T08:30'),
    });
  });

  it('urgent and critical orders run around the clock; acceptance and first contact are never due after the reply', () => {
    const at = local('2026-09-30T23:00');
    expect(policy('help', 'urgent').onRegister(at)).toEqual({ dispatchDueAt: local('2026-10-01T01:00') });
    expect(policy('help', 'urgent').onDispatch(at)).toEqual({
      acceptDueAt: local('2026-10-01T00:00'),
      contactDueAt: local('2026-10-01T23:00'), // 1 working day would be Fri 10-09 08:30: capped at the reply
      replyDueAt: local('2026-10-01T23:00'),
      returnDeadlineAt: local('2026-10-10T08:30'), // two working days from Thu 10-08 08:30: Sat 10-10 is a make-up day
      replyClockStartedAt: at,
    });
    expect(policy('complaint', 'critical').onDispatch(at)).toMatchObject({
      acceptDueAt: local('2026-09-30T23:30'),
      contactDueAt: local('2026-10-01T01:00'),
      replyDueAt: local('2026-10-01T01:00'),
    });
  });

  it('a reopened order gets the reopened-order limit from the reopening', () => {
    expect(policy('complaint').onReopen(local('2026-02-13T09:00'))).toEqual({ replyDueAt: local('2026-02-25T09:00'), replyClockStartedAt: local('2026-02-13T09:00') });
  });
});

describe('OrderDeadlines, suspension, lateness and the extension cap', () => {
  const p = policy('complaint');

  it('moves a working-time deadline by the working time spent suspended, not the elapsed time', () => {
    // Suspended Tue 17:00 → Wed 09:00: 30 + 30 working minutes.
    expect(p.afterSuspension(local('2026-03-16T09:00'), local('2026-03-10T17:00'), local('2026-03-11T09:00'), 'reply')).toEqual(local('2026-03-16T10:00'));
    // Suspended over a whole night (17:30 → 08:30) moves nothing.
    expect(p.afterSuspension(local('2026-03-16T09:00'), local('2026-03-10T17:30'), local('2026-03-11T08:30'), 'reply')).toEqual(local('2026-03-16T09:00'));
    // Over the Spring Festival: Fri 02-13 17:00 → Tue 02-24 09:00 is 30 (Fri) + 450 (Sat 02-14) + 30 working minutes.
    expect(p.afterSuspension(local('2026-03-02T10:00'), local('2026-02-13T17:00'), local('2026-02-24T09:00'), 'reply')).toEqual(local('2026-03-03T11:00'));
  });

  it('moves a calendar-hour deadline by the elapsed time', () => {
    const urgent = policy('help', 'urgent');
    expect(urgent.afterSuspension(local('2026-03-11T09:00'), local('2026-03-10T17:00'), local('2026-03-11T09:00'), 'reply')).toEqual(local('2026-03-12T01:00'));
  });

  it('records lateness in working minutes (elapsed minutes for calendar-hour limits), null when on time', () => {
    expect(p.lateMinutes(local('2026-03-09T11:00'), local('2026-03-09T11:00'), 'accept')).toBeNull();
    expect(p.lateMinutes(null, local('2026-03-09T11:00'), 'accept')).toBeNull();
    expect(p.lateMinutes(local('2026-03-09T11:00'), local('2026-03-09T11:30'), 'accept')).toBe(30);
    expect(p.lateMinutes(local('2026-03-10T09:00'), local('2026-03-10T14:00'), 'reply')).toBe(210);
    expect(p.lateMinutes(local('2026-03-09T17:29'), local('2026-03-09T20:00'), 'reply')).toBe(1);
    expect(p.lateMinutes(local('2026-03-09T17:30'), local('2026-03-09T20:00'), 'reply')).toBe(0);
    expect(policy('help', 'urgent').lateMinutes(local('2026-03-09T20:00'), local('2026-03-09T23:00'), 'reply')).toBe(180);
  });

  it('counts an extension in working minutes against a cap of 10 working days', () => {
    expect(p.extensionCapMinutes()).toBe(4500);
    expect(p.extensionMinutes(local('2026-03-16T09:00'), local('2026-03-24T09:00'))).toBe(6 * 450);
    expect(p.extensionMinutes(local('2026-03-16T09:00'), local('2026-03-16T08:00'))).toBe(0);
    expect(p.describeWorkingMinutes(4500)).toBe('4500 working minutes (10 working days)');
    expect(p.describeWorkingMinutes(90)).toBe('90 working minutes (1.5 working hours)');
  });
});

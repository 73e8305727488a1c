import { WorkingCalendar } from '../calendar/working-calendar';
import { defaultLimits } from '../deadlines/deadline-limits';
import { DEFAULT_ESCALATION_CONFIG, loadEscalationConfig } from './escalation.config';
import { type EscalationFacts, STAGE, openingOfNthWorkingDayAfter, planEscalation, runningDeadlines, yellowInstant } from './escalation-plan';

/** Shanghai wall-clock time → instant. */
const at = (local: string) => new Date(`${local}+08:00`);

describe('escalation plan', () => {
  const calendar = new WorkingCalendar();
  const config = DEFAULT_ESCALATION_CONFIG;

  /** A normal complaint dispatched Mon 2026-03-02 09:00, in processing, reply due 5 working days later. */
  const processing = (overrides: Partial<EscalationFacts> = {}): EscalationFacts => ({
    status: 'processing',
    urgency: 'normal',
    leadUnitId: 7,
    createdAt: at('2026-03-02T08:40:00'),
    dispatchedAt: at('2026-03-02T09:00:00'),
    dispatchDueAt: at('2026-03-03T08:40:00'),
    acceptDueAt: at('2026-03-02T11:00:00'),
    contactDueAt: at('2026-03-03T09:00:00'),
    replyDueAt: at('2026-03-09T09:00:00'),
    replyClockStartedAt: at('2026-03-02T09:00:00'),
    firstContactAt: at('2026-03-02T10:00:00'),
    warningLevel: 'none',
    escalationStage: 0,
    reopenCount: 0,
    ...overrides,
  });

  describe('working or elapsed time', () => {
    it("follows the order's rules when they are given, not the urgency", () => {
      const limits = defaultLimits('complaint', 'normal');
      const elapsedReply = { ...limits, reply: { amount: 120, unit: 'calendar_hours' as const } };
      const byRule = runningDeadlines(processing({ limits: elapsedReply }), calendar, config).find((d) => d.name === 'replyDueAt');
      expect(byRule?.working).toBe(false);
      const urgentInWorkingHours = { ...defaultLimits('complaint', 'urgent'), reply: { amount: 8, unit: 'working_hours' as const } };
      const urgent = runningDeadlines(processing({ urgency: 'urgent', limits: urgentInWorkingHours }), calendar, config).find((d) => d.name === 'replyDueAt');
      expect(urgent?.working).toBe(true);
    });

    it('takes the reopen limit for a reopened order', () => {
      const limits = { ...defaultLimits('complaint', 'normal'), reopen: { amount: 72, unit: 'calendar_hours' as const } };
      expect(runningDeadlines(processing({ limits }), calendar, config).find((d) => d.name === 'replyDueAt')?.working).toBe(true);
      expect(runningDeadlines(processing({ limits, reopenCount: 1 }), calendar, config).find((d) => d.name === 'replyDueAt')?.working).toBe(false);
    });

    it('without rules assumes the seeded defaults: normal replies in working time, urgent ones around the clock', () => {
      expect(runningDeadlines(processing(), calendar, config).find((d) => d.name === 'replyDueAt')?.working).toBe(true);
      expect(runningDeadlines(processing({ urgency: 'urgent' }), calendar, config).find((d) => d.name === 'replyDueAt')?.working).toBe(false);
    });
  });

  describe('yellow instant', () => {
    it('is at 25 % of a working-time limit left when that is more than 2 working hours', () => {
      const yellow = yellowInstant(at('2026-03-02T09:00:00'), at('2026-03-09T09:00:00'), true, calendar, config);
      // 5 working days of 7.5 office hours: 2250 minutes; a quarter is 562.5 minutes.
      expect(calendar.workingMinutesBetween(yellow, at('2026-03-09T09:00:00'))).toBe(562.5);
      expect(yellow).toEqual(at('2026-03-05T16:07:30'));
    });

    it('is 2 working hours before the due time when that comes first, and at the start of a limit of 2 hours or less', () => {
      // 1 working day = 450 minutes: a quarter (112.5) is less than 120, so 2 working hours left comes first.
      const oneDay = yellowInstant(at('2026-03-02T09:00:00'), at('2026-03-03T09:00:00'), true, calendar, config);
      expect(calendar.workingMinutesBetween(oneDay, at('2026-03-03T09:00:00'))).toBe(120);
      expect(oneDay).toEqual(at('2026-03-02T16:00:00'));
      expect(yellowInstant(at('2026-03-02T09:00:00'), at('2026-03-02T11:00:00'), true, calendar, config)).toEqual(at('2026-03-02T09:00:00'));
    });

    it('counts elapsed time for round-the-clock limits (urgent: 24 calendar hours → yellow 6 hours before)', () => {
      expect(yellowInstant(at('2026-03-07T20:00:00'), at('2026-03-08T20:00:00'), false, calendar, config)).toEqual(at('2026-03-08T14:00:00'));
    });

    it('follows the configured share and hours', () => {
      const tighter = { ...config, yellowFraction: 0.1, yellowHours: 0 };
      expect(yellowInstant(at('2026-03-07T20:00:00'), at('2026-03-08T20:00:00'), false, calendar, tighter)).toEqual(new Date(at('2026-03-08T20:00:00').getTime() - 2.4 * 3_600_000));
    });
  });

  it('runs the deadlines of the status: dispatch before dispatch; accept, contact and reply once dispatched; none in review', () => {
    const names = (facts: EscalationFacts) => runningDeadlines(facts, calendar, config).map((d) => d.name);
    expect(names(processing({ status: 'registered' }))).toEqual(['dispatchDueAt']);
    expect(names(processing({ status: 'dispatched', firstContactAt: null }))).toEqual(['acceptDueAt', 'contactDueAt', 'replyDueAt']);
    expect(names(processing())).toEqual(['replyDueAt']);
    expect(names(processing({ status: 'reply_review' }))).toEqual([]);
    // 领导审签: the reply waits inside the unit, its deadline keeps running.
    expect(names(processing({ status: 'unit_review' }))).toEqual(['replyDueAt']);
    expect(names(processing({ status: 'suspended' }))).toEqual([]);
    const dispatchLimit = runningDeadlines(processing({ status: 'registered' }), calendar, config)[0];
    expect(dispatchLimit.working).toBe(false);
  });

  it('a reminder at yellow, once; nothing in between; the next check is the next threshold', () => {
    const before = planEscalation(processing(), at('2026-03-04T10:00:00'), calendar, config, null);
    expect(before).toEqual({ steps: [], warningLevel: 'none', escalationStage: 0, nextCheckAt: at('2026-03-05T16:07:30') });
    const yellow = planEscalation(processing(), at('2026-03-05T16:07:30'), calendar, config, null);
    expect(yellow.steps).toEqual([{ kind: 'remind', deadline: 'replyDueAt', dueAt: at('2026-03-09T09:00:00') }]);
    expect(yellow).toMatchObject({ warningLevel: 'yellow', escalationStage: STAGE.reminded, nextCheckAt: at('2026-03-09T09:00:00') });
    const again = planEscalation(processing({ warningLevel: 'yellow', escalationStage: 1 }), at('2026-03-06T09:00:00'), calendar, config, null);
    expect(again.steps).toEqual([]);
  });

  it('red at the due time: flagged overdue, supervision at the next working day’s opening, then the +3 and +5 levels', () => {
    const red = planEscalation(processing({ escalationStage: 1 }), at('2026-03-09T09:00:00'), calendar, config, null);
    expect(red.steps).toEqual([{ kind: 'overdue', deadline: 'replyDueAt', dueAt: at('2026-03-09T09:00:00') }]);
    expect(red).toMatchObject({ warningLevel: 'red', escalationStage: STAGE.overdue, nextCheckAt: at('2026-03-10T08:30:00') });

    const supervised = planEscalation(processing({ escalationStage: 2, warningLevel: 'red' }), at('2026-03-10T08:30:00'), calendar, config, null);
    expect(supervised.steps).toEqual([
      { kind: 'supervise', overdueSince: at('2026-03-09T09:00:00'), previousReplyDueAt: at('2026-03-09T09:00:00'), replyDueAt: at('2026-03-12T08:30:00') },
    ]);
    expect(supervised).toMatchObject({ escalationStage: STAGE.supervised, replyDueAt: at('2026-03-12T08:30:00'), nextCheckAt: at('2026-03-12T09:00:00') });

    // After the supervision the reply deadline is in the future; the order stays red and follows the ladder.
    const after = processing({ escalationStage: 3, warningLevel: 'red', replyDueAt: at('2026-03-12T08:30:00') });
    const first = planEscalation(after, at('2026-03-12T09:00:00'), calendar, config, at('2026-03-09T09:00:00'));
    expect(first.steps).toEqual([{ kind: 'escalate', level: 1, overdueSince: at('2026-03-09T09:00:00'), workingDaysOverdue: 3 }]);
    expect(first).toMatchObject({ warningLevel: 'red', escalationStage: 4, nextCheckAt: at('2026-03-16T09:00:00') });
    const second = planEscalation({ ...after, escalationStage: 4 }, at('2026-03-16T09:00:00'), calendar, config, at('2026-03-09T09:00:00'));
    expect(second.steps).toEqual([{ kind: 'escalate', level: 2, overdueSince: at('2026-03-09T09:00:00'), workingDaysOverdue: 5 }]);
    expect(second).toMatchObject({ escalationStage: 5, nextCheckAt: null });
  });

  it('catching up 10 working days late: no yellow reminder for an order already red, every later step at once', () => {
    const late = planEscalation(processing(), at('2026-03-23T09:00:00'), calendar, config, null);
    expect(late.steps.map((s) => s.kind)).toEqual(['overdue', 'supervise', 'escalate', 'escalate']);
    expect(late).toMatchObject({ warningLevel: 'red', escalationStage: 5, nextCheckAt: null });
  });

  it('an order the center has not dispatched is flagged red but neither supervised nor escalated (no unit handles it)', () => {
    const plan = planEscalation(processing({ status: 'registered', leadUnitId: null }), at('2026-03-23T09:00:00'), calendar, config, null);
    expect(plan.steps.map((s) => s.kind)).toEqual(['overdue']);
    expect(plan.nextCheckAt).toBeNull();
  });

  it('back from red when the late deadline stops running (accepted late): no second reminder, the stage follows', () => {
    const plan = planEscalation(processing({ escalationStage: 2, warningLevel: 'red' }), at('2026-03-04T10:00:00'), calendar, config, null);
    expect(plan).toMatchObject({ steps: [], warningLevel: 'none', escalationStage: 0 });
  });

  it('the opening of the next working day: Friday evening → a make-up Saturday (2026-05-09) at 08:30', () => {
    expect(openingOfNthWorkingDayAfter(at('2026-05-08T17:30:00'), 1, calendar)).toEqual(at('2026-05-09T08:30:00'));
    expect(openingOfNthWorkingDayAfter(at('2026-09-30T15:00:00'), 1, calendar)).toEqual(at('2026-10-08T08:30:00'));
  });

  it('reads its settings from the environment and names a bad variable', () => {
    expect(loadEscalationConfig({})).toEqual(DEFAULT_ESCALATION_CONFIG);
    expect(loadEscalationConfig({ NODE_ENV: 'test' }).tickIntervalMs).toBe(0);
    expect(loadEscalationConfig({ ESCALATION_TICK_SECONDS: '0', ESCALATION_LEVEL_WORKING_DAYS: '2,4' })).toMatchObject({ tickIntervalMs: 0, escalationWorkingDays: [2, 4] });
    expect(() => loadEscalationConfig({ DEADLINE_YELLOW_FRACTION: '1.5' })).toThrow(/DEADLINE_YELLOW_FRACTION/);
    expect(() => loadEscalationConfig({ ESCALATION_LEVEL_WORKING_DAYS: '5,3' })).toThrow(/ESCALATION_LEVEL_WORKING_DAYS/);
  });

  it('an automatic supervision for a missed acceptance never pulls a later reply deadline earlier', () => {
    // A suggestion (10 working days) dispatched Mon 2026-06-01 09:00 and not accepted in time.
    const order = processing({
      status: 'dispatched',
      dispatchedAt: at('2026-06-01T09:00:00'),
      acceptDueAt: at('2026-06-01T11:00:00'),
      contactDueAt: at('2026-06-02T09:00:00'),
      replyDueAt: at('2026-06-15T09:00:00'),
      replyClockStartedAt: at('2026-06-01T09:00:00'),
      firstContactAt: null,
      warningLevel: 'red',
      escalationStage: STAGE.overdue,
    });
    const plan = planEscalation(order, at('2026-06-02T08:30:00'), calendar, config, null);
    const supervise = plan.steps.find((step) => step.kind === 'supervise');
    expect(supervise).toBeDefined();
    expect(plan.replyDueAt).toEqual(at('2026-06-15T09:00:00'));
  });
});

import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

interface DeadlineBody {
  kind: string;
  dueAt: string;
  running: boolean;
  clock: string;
  remainingWorkingMinutes: number;
  level: string;
}

/** The `deadlines` of a detail answer, by kind. */
const byKind = (body: object): Record<string, DeadlineBody> => Object.fromEntries((body as { deadlines: DeadlineBody[] }).deadlines.map((x) => [x.kind, x]));

describe.each(enginesUnderTest())('the deadlines on the work-order detail (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  async function deadlinesOf(id: number): Promise<Record<string, DeadlineBody>> {
    const response = await t.get('supervisor1', `/api/work-orders/${id}`);
    expect(response.status).toBe(200);
    return byKind(response.body as object);
  }

  it('counts working minutes left on a normal order, turns yellow near the end and red (negative) when overdue', async () => {
    // Monday 2026-03-09 09:00 Beijing time, an ordinary working day.
    t.clock.set(new Date('2026-03-09T09:00:00+08:00'));
    const registered = await d.register();
    const atRegistration = byKind(registered);
    expect(atRegistration.dispatch).toMatchObject({ running: true, clock: 'calendar', remainingWorkingMinutes: 24 * 60, level: 'none' });

    const order = await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('dc') });
    let deadlines = byKind(order);
    expect(Object.keys(deadlines)).toEqual(['dispatch', 'accept', 'contact', 'reply', 'return']);
    expect(deadlines.dispatch.running).toBe(false);
    expect(deadlines.dispatch.level).toBe('none');
    // Acceptance: 2 working hours, yellow from the start (≤ 2 working hours left).
    expect(deadlines.accept).toMatchObject({ running: true, clock: 'working', remainingWorkingMinutes: 120, level: 'yellow', dueAt: '2026-03-09T03:00:00.000Z' });
    expect(deadlines.contact).toMatchObject({ running: true, clock: 'working', remainingWorkingMinutes: 450, level: 'none' });
    expect(deadlines.return.running).toBe(true);

    // 11:30: acceptance is half an hour late; lunch does not count towards first contact (due Tue 09:00).
    t.clock.set(new Date('2026-03-09T11:30:00+08:00'));
    deadlines = await deadlinesOf(order.id);
    expect(deadlines.accept).toMatchObject({ running: true, remainingWorkingMinutes: -30, level: 'red' });
    expect(deadlines.contact).toMatchObject({ remainingWorkingMinutes: 30 + 240 + 30, level: 'none' });

    // Accepted: the acceptance deadline no longer runs and carries no level.
    await d.act('dc_handler', order.id, 'accept');
    deadlines = await deadlinesOf(order.id);
    expect(deadlines.accept).toMatchObject({ running: false, level: 'none' });
    expect(deadlines.reply.running).toBe(true);
  });

  it('counts calendar minutes for the calendar-hour limits of an urgent order', async () => {
    t.clock.set(new Date('2026-03-09T09:00:00+08:00'));
    const order = await d.dispatched('dc', { urgency: 'urgent' });
    t.clock.set(new Date('2026-03-09T09:10:00+08:00'));
    const deadlines = await deadlinesOf(order.id);
    // Accept within 1 calendar hour, reply within 24.
    expect(deadlines.accept).toMatchObject({ running: true, clock: 'calendar', remainingWorkingMinutes: 50, level: 'yellow' });
    expect(deadlines.reply).toMatchObject({ running: true, clock: 'calendar', remainingWorkingMinutes: 24 * 60 - 10, level: 'none' });
  });

  it('stops every countdown of a suspended order at the suspension', async () => {
    t.clock.set(new Date('2026-03-09T09:00:00+08:00'));
    const order = await d.processing('dc');
    t.clock.set(new Date('2026-03-09T10:00:00+08:00'));
    const before = await deadlinesOf(order.id);
    await d.act('dispatcher1', order.id, 'suspend', { reason: '诉求人外出' });
    t.clock.set(new Date('2026-03-10T10:00:00+08:00'));
    const suspended = await deadlinesOf(order.id);
    expect(suspended.reply).toMatchObject({ running: false, level: 'none', remainingWorkingMinutes: before.reply.remainingWorkingMinutes });
    expect(Object.values(suspended).every((x) => !x.running)).toBe(true);
  });
});

import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import type { WorkOrderChangedEvent } from '../events/app-events';
import { createApp } from '../app.factory';
import { APP_CONFIG, type AppConfig, loadConfig } from '../config/app-config';
import { Notification } from '../notifications/notification.entity';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { EscalationService } from './escalation.service';

/** Shanghai wall-clock time → instant. */
const at = (local: string) => new Date(`${local}+08:00`);

/** A normal order dispatched Mon 2026-03-02 09:00, accepted and contacted, reply due 5 working days later. */
const DISPATCHED = at('2026-03-02T09:00:00');
const REPLY_DUE = at('2026-03-09T09:00:00');
/** 25 % of the 2250 working minutes left. */
const YELLOW = at('2026-03-05T16:07:30');
/** The next working day's opening after the order became overdue, and the +3 / +5 working-day levels. */
const SUPERVISION = at('2026-03-10T08:30:00');
const SUPERVISION_REPLY_DUE = at('2026-03-12T08:30:00');
const LEVEL_1 = at('2026-03-12T09:00:00');
const LEVEL_2 = at('2026-03-16T09:00:00');

const SYSTEM_STEPS = ['remind', 'overdue', 'supervise', 'escalate'];

describe.each(enginesUnderTest())('deadline warnings and escalation (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let sut: EscalationService;
  let db: DataSource;
  const previousTick = process.env.ESCALATION_TICK_SECONDS;

  beforeAll(async () => {
    // The timer stays off: the tests tick by hand with a moved clock.
    process.env.ESCALATION_TICK_SECONDS = '0';
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    sut = t.app.get(EscalationService);
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
    if (previousTick === undefined) delete process.env.ESCALATION_TICK_SECONDS;
    else process.env.ESCALATION_TICK_SECONDS = previousTick;
  });

  afterEach(() => t.clock.set(null));

  /** An order in processing at 东城区 (dc) with the deadlines above, due for a look at `checkAt`. */
  async function runningOrder(checkAt: Date = DISPATCHED): Promise<number> {
    const order = await d.processing('dc');
    await db.getRepository(WorkOrder).update(order.id, {
      dispatchedAt: DISPATCHED,
      acceptDueAt: at('2026-03-02T11:00:00'),
      contactDueAt: at('2026-03-03T09:00:00'),
      replyDueAt: REPLY_DUE,
      replyClockStartedAt: DISPATCHED,
      firstContactAt: at('2026-03-02T10:00:00'),
      warningLevel: 'none',
      escalationStage: 0,
      supervised: false,
      reminderCount: 0,
      deadlineCheckAt: checkAt,
    });
    return order.id;
  }

  async function tick(now: Date) {
    t.clock.set(now);
    return sut.tick(now);
  }

  const row = async (id: number) => (await db.getRepository(WorkOrder).findOneByOrFail({ id }));
  const systemSteps = async (id: number) =>
    (await db.getRepository(WorkOrderEvent).find({ where: { workOrderId: id }, order: { id: 'ASC' } })).filter((e) => e.actorName === 'system' && e.actorId === null);
  const notices = (id: number) => db.getRepository(Notification).find({ where: { workOrderId: id }, relations: { user: true }, order: { id: 'ASC' } });

  it('yellow at 25 % left: a reminder by the system actor, counted, and told to the unit; red at the due time, told to the unit and the center', async () => {
    const id = await runningOrder();
    expect(await tick(at('2026-03-05T16:07:29'))).toMatchObject({ steps: 0 });
    expect(await row(id)).toMatchObject({ warningLevel: 'none', escalationStage: 0, deadlineCheckAt: YELLOW });

    const changed: WorkOrderChangedEvent[] = [];
    const listener = (event: WorkOrderChangedEvent) => changed.push(event);
    t.app.get(EventEmitter2).on('workOrder.changed', listener);
    await tick(YELLOW);
    t.app.get(EventEmitter2).off('workOrder.changed', listener);
    expect(await row(id)).toMatchObject({ warningLevel: 'yellow', escalationStage: 1, reminderCount: 1, deadlineCheckAt: REPLY_DUE });
    // Open consoles hear of it like of a manual remind: the lead unit (and the center) reload the order.
    expect(changed).toEqual([expect.objectContaining({ workOrderId: id, action: 'remind', actorId: null, version: (await row(id)).version, unitIds: expect.arrayContaining([d.unit('dc')]) })]);
    const detail = await d.read(id);
    const remind = detail.timeline.filter((e) => e.action === 'remind');
    expect(remind).toEqual([expect.objectContaining({ actorId: null, actorRole: null, unitId: null, payload: expect.objectContaining({ automatic: true, deadline: 'replyDueAt' }) })]);
    expect(detail.timeline.find((e) => e.action === 'remind')).toHaveProperty('actorName', 'system');
    const yellowNotices = (await notices(id)).filter((n) => n.kind === 'deadline.yellow').map((n) => n.user?.username);
    expect(yellowNotices.sort()).toEqual(['dc_admin', 'dc_handler']);
    const bell = await t.get('dc_handler', '/api/notifications');
    expect(bell.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'deadline.yellow', workOrderId: id, title: expect.stringContaining('答复期限 2026-03-09 09:00') })]));

    await tick(REPLY_DUE);
    expect(await row(id)).toMatchObject({ warningLevel: 'red', escalationStage: 2, deadlineCheckAt: SUPERVISION });
    expect((await systemSteps(id)).map((e) => e.action)).toEqual(['remind', 'overdue']);
    const red = (await notices(id)).filter((n) => n.kind === 'deadline.red').map((n) => n.user?.username);
    expect(red).toEqual(expect.arrayContaining(['dc_admin', 'dc_handler', 'dispatcher1', 'supervisor1']));
    expect(red).toHaveLength(new Set(red).size);
  });

  it('records a warning that eases with no step of its own (yellow → none) on the timeline, by the system, without notices', async () => {
    const id = await runningOrder();
    // Yellow was set earlier; since then the reply deadline moved far ahead (nothing runs late any more).
    await db.getRepository(WorkOrder).update(id, { warningLevel: 'yellow', escalationStage: 1, replyDueAt: at('2026-03-20T17:00:00'), deadlineCheckAt: YELLOW });
    const before = await row(id);
    const noticesBefore = (await notices(id)).length;

    await tick(YELLOW);

    const after = await row(id);
    expect(after).toMatchObject({ warningLevel: 'none', escalationStage: 0 });
    expect(after.version).toBe(before.version + 1);
    const steps = await systemSteps(id);
    expect(steps.map((e) => e.action)).toEqual(['warning-changed']);
    expect(steps[0]).toMatchObject({ payload: { automatic: true, from: 'yellow', to: 'none' } });
    expect(steps[0].reason).toContain('yellow → none');
    expect((await notices(id)).length).toBe(noticesBefore);

    // Nothing changes at the next look: no second entry.
    await tick(new Date(YELLOW.getTime() + 60_000));
    expect((await systemSteps(id)).map((e) => e.action)).toEqual(['warning-changed']);
  });

  it('overdue → automatic supervision at the next working day’s opening with a new reply deadline, then the +3 and +5 working-day escalations', async () => {
    const id = await runningOrder();
    await tick(YELLOW);
    await tick(REPLY_DUE);
    await tick(at('2026-03-10T08:29:59'));
    expect(await row(id)).toMatchObject({ escalationStage: 2, supervised: false });

    await tick(SUPERVISION);
    const version = (await row(id)).version;
    expect(await row(id)).toMatchObject({ escalationStage: 3, supervised: true, replyDueAt: SUPERVISION_REPLY_DUE, warningLevel: 'red', deadlineCheckAt: LEVEL_1 });
    const supervise = (await systemSteps(id)).find((e) => e.action === 'supervise');
    expect(supervise?.payload).toMatchObject({ automatic: true, overdueSince: REPLY_DUE.toISOString(), replyDueAt: SUPERVISION_REPLY_DUE.toISOString() });
    expect((await notices(id)).filter((n) => n.kind === 'supervision').map((n) => n.user?.username)).toEqual(expect.arrayContaining(['dc_handler', 'supervisor1']));

    await tick(LEVEL_1);
    expect(await row(id)).toMatchObject({ escalationStage: 4, deadlineCheckAt: LEVEL_2, version: version + 1 });
    const escalated = (await notices(id)).filter((n) => n.kind === 'escalation').map((n) => n.user?.username);
    // The unit's admin, the parent unit's admins (东城区's parent is the center: its admin) and the center's supervisors.
    expect(escalated).toEqual(expect.arrayContaining(['dc_admin', 'supervisor1']));
    expect(escalated).not.toContain('dc_handler');

    await tick(LEVEL_2);
    await tick(at('2026-04-30T09:00:00'));
    expect(await row(id)).toMatchObject({ escalationStage: 5, deadlineCheckAt: null });
    const steps = await systemSteps(id);
    expect(steps.map((e) => e.action)).toEqual(['remind', 'overdue', 'supervise', 'escalate', 'escalate']);
    expect(steps.filter((e) => e.action === 'escalate').map((e) => e.payload?.level)).toEqual([1, 2]);
    expect((await d.read(id)).timeline.filter((e) => SYSTEM_STEPS.includes(e.action))).toHaveLength(5);
  });

  it('catches up after downtime: 10 working days at once — every step that still makes sense, once, in order, no yellow for an order already red', async () => {
    const ids = [await runningOrder(), await runningOrder()];
    // A third one fell due later than the others: handled in order of due time, after them.
    const later = await runningOrder(at('2026-03-20T09:00:00'));
    const result = await tick(at('2026-03-23T09:00:00'));
    expect(result.claimed).toBeGreaterThanOrEqual(3);
    for (const id of [...ids, later]) {
      expect((await systemSteps(id)).map((e) => e.action)).toEqual(['overdue', 'supervise', 'escalate', 'escalate']);
      expect(await row(id)).toMatchObject({ warningLevel: 'red', escalationStage: 5, reminderCount: 0, deadlineCheckAt: null });
    }
    const firstIds = (await db.getRepository(WorkOrderEvent).find({ where: [{ workOrderId: ids[1] }, { workOrderId: later }], order: { id: 'ASC' } }))
      .filter((e) => e.action === 'overdue')
      .map((e) => e.workOrderId);
    expect(firstIds).toEqual([ids[1], later]);
    // Nothing happens twice.
    expect(await tick(at('2026-03-23T09:00:00'))).toMatchObject({ steps: 0 });
    expect(await tick(at('2026-05-23T09:00:00'))).toMatchObject({ steps: 0 });
    expect((await systemSteps(ids[0])).length).toBe(4);
  });

  it("the automatic supervision of a child order stops at its parent's reply deadline", async () => {
    const parent = await d.processing('dc');
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道处理' });
    const childId = withChild.children[0].id;
    const parentDue = at('2026-03-11T10:00:00');
    await db.getRepository(WorkOrder).update(parent.id, { replyDueAt: parentDue, deadlineCheckAt: null });
    await db.getRepository(WorkOrder).update(childId, {
      status: 'processing',
      dispatchedAt: DISPATCHED,
      acceptedAt: DISPATCHED,
      replyDueAt: REPLY_DUE,
      replyClockStartedAt: DISPATCHED,
      firstContactAt: at('2026-03-02T10:00:00'),
      warningLevel: 'red',
      escalationStage: 2,
      deadlineCheckAt: SUPERVISION,
    });
    await tick(SUPERVISION);
    expect(await row(childId)).toMatchObject({ escalationStage: 3, supervised: true, replyDueAt: parentDue });
    expect((await systemSteps(childId)).find((e) => e.action === 'supervise')?.payload).toMatchObject({ replyDueAt: parentDue.toISOString() });
  });

  it('exactly once with two instances ticking the same due orders at the same time', async () => {
    // MariaDB: a second application on the same database. SQLite (one process per file): two ticks of one app at once.
    let other: { app: INestApplication; directory: string } | null = null;
    let otherSut = sut;
    if (engine === 'mysql') {
      const config = t.app.get<AppConfig>(APP_CONFIG);
      const directory = mkdtempSync(join(tmpdir(), 'jiesu-escalation-'));
      const second = await createApp(
        loadConfig({
          NODE_ENV: 'test',
          DATABASE_URL: config.database.url,
          ATTACHMENTS_DIR: join(directory, 'attachments'),
          LOG_LEVEL: 'silent',
          SEED_DEMO_DATA: 'never',
          CONSOLE_DIR: join(directory, 'no-console'),
          DATA_DIR: join(directory, 'data'),
        }),
      );
      second.useLogger(false);
      await second.init();
      other = { app: second, directory };
      otherSut = second.get(EscalationService);
    }
    try {
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) ids.push(await runningOrder());
      t.clock.set(YELLOW);
      for (const now of [YELLOW, REPLY_DUE, SUPERVISION, LEVEL_1, LEVEL_2]) {
        for (let round = 0; round < 3; round++) {
          const [a, b] = await Promise.all([sut.tick(now), otherSut.tick(now)]);
          if (round > 0) expect(a.steps + b.steps).toBe(0);
        }
      }
      for (const id of ids) {
        expect((await systemSteps(id)).map((e) => e.action)).toEqual(['remind', 'overdue', 'supervise', 'escalate', 'escalate']);
        expect(await row(id)).toMatchObject({ reminderCount: 1, escalationStage: 5 });
        const kinds = (await notices(id)).map((n) => `${n.kind}:${n.userId}:${n.payload}`);
        expect(kinds).toHaveLength(new Set(kinds).size);
      }
    } finally {
      if (other) {
        await other.app.close();
        rmSync(other.directory, { recursive: true, force: true });
      }
    }
  });

  it('a user action racing a tick never loses an update: it wins, or answers 409 and the system step stands', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await runningOrder(YELLOW);
      const { version } = await d.read(id);
      t.clock.set(YELLOW);
      const [, manual] = await Promise.all([sut.tick(YELLOW), t.post('supervisor1', `/api/work-orders/${id}/remind`, { version, message: '请抓紧办理' })]);
      expect([200, 409]).toContain(manual.status);
      await sut.tick(YELLOW);
      const reminders = (await db.getRepository(WorkOrderEvent).find({ where: { workOrderId: id, action: 'remind' } })).length;
      const system = (await systemSteps(id)).filter((e) => e.action === 'remind').length;
      expect(system).toBe(1);
      expect(reminders).toBe(manual.status === 200 ? 2 : 1);
      // Every reminder — the user's and the system's — is counted: neither write overwrote the other.
      expect((await row(id)).reminderCount).toBe(reminders);
    }
  });
});
